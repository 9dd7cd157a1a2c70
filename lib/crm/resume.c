/* resume.c: uploaded résumés, kept outside the web root under random names */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm/community_int.h"
#include "util/he.h"
#include "util/log.h"

int
comm_resume_store(const struct comm *c, const unsigned char *data, size_t len,
    const char *kind, const char *name, struct comm_resume *out)
{
	unsigned char rnd[16];
	char hex[33], path[4096];
	size_t done = 0;
	int fd;

	if (mkdir(c->resume_dir, 0700) != 0 && errno != EEXIST) {
		log_error("community: cannot create %s: %s", c->resume_dir,
		    strerror(errno));
		return HE_IO;
	}
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	/* The name is ours: nothing of what was sent reaches the file system. */
	snprintf(out->file, sizeof out->file, "%s.%s", hex, kind);
	out->kind = kind;
	out->name = name;
	out->size = len;
	snprintf(path, sizeof path, "%s/%s", c->resume_dir, out->file);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		log_error("community: cannot create %s: %s", path, strerror(errno));
		return HE_IO;
	}
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done != len || fsync(fd) != 0) {
		log_error("community: cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return HE_IO;
	}
	close(fd);
	return HE_OK;
}

void
comm_resume_remove(const struct comm *c, const char *file)
{
	char path[4096];

	if (file == NULL || file[0] == '\0' || strchr(file, '/'))
		return;
	snprintf(path, sizeof path, "%s/%s", c->resume_dir, file);
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("community: cannot remove %s: %s", path, strerror(errno));
}
