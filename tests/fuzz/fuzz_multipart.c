/* fuzz_multipart.c: multipart/form-data bodies through multipart.c, and files through ft_sniff */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/filetype.h"
#include "util/text.h"
#include "web/web_int.h"

/*
 * Input: one mode byte, then:
 *   mode % 4 == 0  a body, sent as multipart/form-data; boundary=hearthfuzz
 *   mode % 4 == 1  a body, sent with boundary="hearthfuzz" (quoted)
 *   mode % 4 == 2  the Content-Type up to the first '\n', then the body
 *   mode % 4 == 3  a file: ft_sniff alone, whole and cut short by up to
 *                  64 bytes (truncated uploads are the common damage)
 * Each file part found is sniffed as well. The body and the file are
 * heap copies of exactly their size, so any read past them is caught.
 */

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_multipart: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

static void
check_kind(enum ft_kind k)
{
	CHECK((unsigned)k < FT__MAX);
	CHECK(ft_info(k) == &ft_kinds[k]);
}

/* Every value under node is a C string no longer than a text part. */
static size_t
check_values(HDF *node, int depth)
{
	size_t n = 0;

	CHECK(depth < 64);
	for (; node; node = hdf_obj_next(node)) {
		const char *v = hdf_obj_value(node);

		if (v)
			CHECK(strlen(v) <= WEB_MP_TEXT_MAX);
		n++;
		n += check_values(hdf_obj_child(node), depth + 1);
	}
	return n;
}

static void
check_upload(const struct web_upload *u, const unsigned char *body, size_t len)
{
	size_t fl;

	CHECK(u->field != NULL && u->field[0] != '\0');
	CHECK(u->filename != NULL);
	fl = strlen(u->filename);
	CHECK(fl <= WEB_MP_FILENAME_MAX);
	CHECK(text_utf8_valid(u->filename, fl));
	CHECK(strpbrk(u->filename, "/\\") == NULL);
	CHECK(strcmp(u->filename, ".") != 0 && strcmp(u->filename, "..") != 0);
	for (size_t i = 0; i < fl; i++)
		CHECK((unsigned char)u->filename[i] >= 0x20 && u->filename[i] != 0x7f);
	if (fl)
		CHECK(u->filename[0] != ' ' && u->filename[fl - 1] != ' ');
	/* The data is a slice of the body, never a copy. */
	CHECK(u->data >= body && u->len <= len && u->data + u->len <= body + len);
	check_kind(ft_sniff(u->data, u->len));
}

static void
parse_one(const char *ctype, const unsigned char *body, size_t len)
{
	struct web_conn conn;
	struct web_req req;
	struct web_mp mp;
	HDF *hdf = NULL;
	NEOERR *err;
	int rc;

	if ((err = hdf_init(&hdf)) != STATUS_OK) {
		nerr_ignore(&err);
		return;
	}
	rc = web_mp_parse(ctype, body, len, hdf, &mp);
	CHECK(rc >= 0 && rc < WEB_MP__MAX);
	CHECK(web_mp_strerror(rc) != NULL);
	if (rc != WEB_MP_OK) {
		/* Refused whole: nothing half-set (but for lack of memory). */
		CHECK(mp.nuploads == 0 && mp.uploads == NULL);
		CHECK(rc == WEB_MP_ENOMEM || hdf_get_obj(hdf, "Query") == NULL);
	} else {
		HDF *q = hdf_get_obj(hdf, "Query");

		CHECK(mp.nuploads <= WEB_MP_PARTS_MAX);
		if (q)
			(void)check_values(hdf_obj_child(q), 0);
		memset(&conn, 0, sizeof conn);
		memset(&req, 0, sizeof req);
		conn.mp = mp;
		req.conn = &conn;
		for (size_t i = 0; i < mp.nuploads; i++) {
			const struct web_upload *u = &mp.uploads[i], *got;

			check_upload(u, body, len);
			got = web_upload_get(&req, u->field);
			/* The first non-empty file of its field. */
			if (u->len > 0 || u->filename[0]) {
				CHECK(got != NULL);
				CHECK(got <= u);
			}
			if (got)
				CHECK(strcmp(got->field, u->field) == 0 &&
				    (got->len > 0 || got->filename[0]));
		}
	}
	web_mp_free(&mp);
	CHECK(mp.nuploads == 0 && mp.uploads == NULL);
	hdf_destroy(&hdf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ctypes[2] = {
		"multipart/form-data; boundary=hearthfuzz",
		"multipart/form-data; boundary=\"hearthfuzz\"",
	};
	const unsigned char *p, *nl;
	unsigned char *body;
	char *ctype = NULL;
	size_t len;
	unsigned mode;

	if (size < 1)
		return 0;
	mode = data[0] % 4;
	p = data + 1;
	len = size - 1;
	if (mode == 2) {
		size_t clen;

		nl = memchr(p, '\n', len);
		clen = nl ? (size_t)(nl - p) : len;
		if ((ctype = malloc(clen + 1)) == NULL)
			return 0;
		memcpy(ctype, p, clen);
		ctype[clen] = '\0';	/* a header is a C string by now */
		p += nl ? clen + 1 : clen;
		len -= nl ? clen + 1 : clen;
	}
	if ((body = malloc(len ? len : 1)) == NULL) {
		free(ctype);
		return 0;
	}
	memcpy(body, p, len);
	if (mode == 3) {
		for (size_t n = len; n + 64 > len; n--) {
			check_kind(ft_sniff(body, n));
			if (n == 0)
				break;
		}
	} else {
		char boundary[WEB_MP_BOUNDARY_MAX + 1];

		if (ctype && web_mp_boundary(ctype, boundary) == WEB_MP_OK) {
			size_t bl = strlen(boundary);

			CHECK(bl >= 1 && bl <= WEB_MP_BOUNDARY_MAX);
			CHECK(boundary[bl - 1] != ' ');
		}
		parse_one(ctype ? ctype : ctypes[mode], body, len);
	}
	free(body);
	free(ctype);
	return 0;
}
