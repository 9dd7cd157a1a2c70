/* conn.h: what every libcurl connection of ours to a mail server sets */
#ifndef HEARTH_NET_CONN_H
#define HEARTH_NET_CONN_H

#include <curl/curl.h>

/* A mail server's connection as the configuration gives it (SMTP or IMAP). */
struct net_conn {
	long timeout;		/* seconds for one transfer, connecting included */
	int starttls;		/* require STARTTLS on the plain scheme */
	const char *ca_file;	/* PEM CAs in place of the system's; NULL: the system's */
	const char *username;	/* NULL: no login */
	const char *password;
	char *errbuf;		/* CURL_ERROR_SIZE bytes for libcurl's message */
};

/*
 * Sets on c the options both protocols share: timeouts (connecting at most
 * 10 s of them), no signals, the error buffer, STARTTLS when required, the
 * CA file and the login. Peer and host verification stay at libcurl's
 * defaults (on): an admin's own CA replaces the system's rather than
 * adding to it, so a private server's certificate cannot be stood in for
 * by one any public CA would sign. 0 on success, -1 when libcurl refused
 * an option (out of memory).
 */
int net_conn_setopts(CURL *c, const struct net_conn *n);

#endif
