/* conn.c: the libcurl options every mail-server connection shares */
#include "net/conn.h"

#define CONNECT_TIMEOUT 10L

int
net_conn_setopts(CURL *c, const struct net_conn *n)
{
	int ok;

	ok = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, n->timeout <
		CONNECT_TIMEOUT ? n->timeout : CONNECT_TIMEOUT) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_TIMEOUT, n->timeout) == CURLE_OK &&
	    /* Also bounds the QUIT or LOGOUT when a dropped handle closes a
	     * connection to a server that stopped answering. */
	    curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, n->timeout) ==
		CURLE_OK &&
	    /* Resolver timeouts must not use SIGALRM in a daemon. */
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, n->errbuf) == CURLE_OK;
	if (ok && n->starttls)
		ok = curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL) ==
		    CURLE_OK;
	if (ok && n->ca_file)
		ok = curl_easy_setopt(c, CURLOPT_CAINFO, n->ca_file) == CURLE_OK &&
		    curl_easy_setopt(c, CURLOPT_CAPATH, NULL) == CURLE_OK;
	if (ok && n->username)
		ok = curl_easy_setopt(c, CURLOPT_USERNAME, n->username) ==
		    CURLE_OK && curl_easy_setopt(c, CURLOPT_PASSWORD,
		    n->password ? n->password : "") == CURLE_OK;
	return ok ? 0 : -1;
}
