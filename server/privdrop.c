/* Start-up privilege drop: data directory ownership and switching to the service user. */
#include "privdrop.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

/*
 * mkdir -p: intermediate directories get 0755 (so a service user can pass
 * through them), the last one 0700.  *created is set if the last one is new.
 */
static int
privdrop_mkdirs(const char *path, int *created, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	char *p;
	size_t len;

	*created = 0;
	len = strlen(path);
	if (len == 0)
		return errbuf_fail(err, errlen, "empty data directory path");
	if (len >= sizeof buf)
		return errbuf_fail(err, errlen, "data directory path too long");
	memcpy(buf, path, len + 1);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';

	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == 0)
			(void)chmod(buf, 0755);	/* whatever the umask says */
		else if (errno != EEXIST) {
			int saved = errno;

			*p = '/';
			return errbuf_fail(err, errlen,
			    "cannot create directory %.*s: %s",
			    (int)(p - buf), buf, strerror(saved));
		}
		*p = '/';
	}
	if (mkdir(buf, 0700) == 0) {
		*created = 1;
		log_info("created data directory %s", buf);
	} else if (errno != EEXIST)
		return errbuf_fail(err, errlen,
		    "cannot create data directory %s: %s", buf,
		    strerror(errno));
	return 0;
}

/* Opens the data directory itself (not a symlink to one) for f* calls. */
static int
privdrop_open_dir(const char *path, struct stat *st, char *err, size_t errlen)
{
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			return errbuf_fail(err, errlen,
			    "data directory %s is not a directory (or is a "
			    "symbolic link)", path);
		struct stat ds;
		struct passwd *pw;

		if (errno == EACCES && geteuid() != 0 && stat(path, &ds) == 0 &&
		    (pw = getpwuid(ds.st_uid)) != NULL)
			return errbuf_fail(err, errlen, "cannot open data "
			    "directory %s: %s: it is %s's (mode %04o); run this "
			    "as root or as %s", path, strerror(EACCES),
			    pw->pw_name, (unsigned)(ds.st_mode & 07777),
			    pw->pw_name);
		return errbuf_fail(err, errlen,
		    "cannot open data directory %s: %s", path,
		    strerror(errno));
	}
	if (fstat(fd, st) != 0) {
		int saved = errno;

		close(fd);
		return errbuf_fail(err, errlen, "cannot stat %s: %s", path,
		    strerror(saved));
	}
	return fd;
}

/* Takes group and other permissions away from the open data directory. */
static int
privdrop_tighten(int fd, const struct stat *st, const char *path, char *err,
    size_t errlen)
{
	if ((st->st_mode & 077) == 0)
		return 0;
	if (fchmod(fd, st->st_mode & 0700) != 0)
		return errbuf_fail(err, errlen, "cannot chmod %s: %s", path,
		    strerror(errno));
	log_warn("data directory %s was mode %04o, now %04o", path,
	    (unsigned)(st->st_mode & 07777), (unsigned)(st->st_mode & 0700));
	return 0;
}

/* Is the open directory empty (only "." and "..")?  1 yes, 0 no, -1 error. */
static int
privdrop_dir_empty(int fd)
{
	DIR *d;
	struct dirent *de;
	int dupfd, empty = 1;

	if ((dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -1;
	if ((d = fdopendir(dupfd)) == NULL) {
		close(dupfd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

/* Names the owner of a file for error messages. */
static const char *
privdrop_owner_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return (pw != NULL) ? pw->pw_name : "unknown user";
}

/* Root: give the data directory to the service user and become that user. */
static int
privdrop_as_root(const char *service_user, const char *data_dir, char *err,
    size_t errlen)
{
	struct passwd *pw;
	struct stat st;
	char *name, *home;
	uid_t uid;
	gid_t gid;
	int created, fd, rc = -1;

	if (service_user == NULL || *service_user == '\0')
		return errbuf_fail(err, errlen, "no service user given");
	errno = 0;
	pw = getpwnam(service_user);
	if (pw == NULL) {
		if (errno != 0 && errno != ENOENT && errno != ESRCH)
			return errbuf_fail(err, errlen,
			    "cannot look up user %s: %s", service_user,
			    strerror(errno));
		return errbuf_fail(err, errlen,
		    "service user \"%s\" does not exist; create it with: "
		    "useradd --system --home-dir /var/lib/tafel "
		    "--shell /usr/sbin/nologin %s", service_user, service_user);
	}
	if (pw->pw_uid == 0)
		return errbuf_fail(err, errlen,
		    "service user \"%s\" has uid 0; refusing to run as root",
		    service_user);
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	name = xstrdup(pw->pw_name);
	home = xstrdup(pw->pw_dir);

	if (privdrop_mkdirs(data_dir, &created, err, errlen) != 0)
		goto out;
	if ((fd = privdrop_open_dir(data_dir, &st, err, errlen)) < 0)
		goto out;
	if (st.st_uid != uid) {
		if (st.st_uid != 0 && !created) {
			errbuf_fail(err, errlen,
			    "data directory %s is owned by uid %u (%s), neither "
			    "root nor %s; refusing to take it over",
			    data_dir, (unsigned)st.st_uid,
			    privdrop_owner_name(st.st_uid), name);
			close(fd);
			goto out;
		}
		/* Never hand over something like /var/lib or /etc by mistake. */
		if (!created && privdrop_dir_empty(fd) != 1) {
			errbuf_fail(err, errlen,
			    "data directory %s is owned by root and not empty; "
			    "refusing to hand it to %s (chown it yourself if "
			    "that is really meant)", data_dir, name);
			close(fd);
			goto out;
		}
		if (fchown(fd, uid, gid) != 0) {
			errbuf_fail(err, errlen, "cannot chown %s to %s: %s",
			    data_dir, name, strerror(errno));
			close(fd);
			goto out;
		}
		log_info("data directory %s now owned by %s", data_dir, name);
	}
	if (privdrop_tighten(fd, &st, data_dir, err, errlen) != 0) {
		close(fd);
		goto out;
	}
	close(fd);

	if (initgroups(name, gid) != 0) {
		errbuf_fail(err, errlen, "initgroups(%s): %s", name,
		    strerror(errno));
		goto out;
	}
	if (setgid(gid) != 0) {
		errbuf_fail(err, errlen, "setgid(%u): %s", (unsigned)gid,
		    strerror(errno));
		goto out;
	}
	if (setuid(uid) != 0) {
		errbuf_fail(err, errlen, "setuid(%u): %s", (unsigned)uid,
		    strerror(errno));
		goto out;
	}
	if (setuid(0) != -1 || geteuid() != uid || getuid() != uid ||
	    getegid() != gid || getgid() != gid) {
		errbuf_fail(err, errlen,
		    "privilege drop to %s did not stick (setuid(0) still "
		    "works); refusing to continue", name);
		goto out;
	}

	if (setenv("HOME", home, 1) != 0 || setenv("USER", name, 1) != 0 ||
	    setenv("LOGNAME", name, 1) != 0)
		fatal("setenv");
	if (access(data_dir, R_OK | W_OK | X_OK) != 0) {
		errbuf_fail(err, errlen,
		    "user %s cannot use data directory %s (%s); check that "
		    "every parent directory is searchable", name, data_dir,
		    strerror(errno));
		goto out;
	}
	log_info("running as user %s (uid %u)", name, (unsigned)uid);
	rc = 0;
out:
	free(name);
	free(home);
	return rc;
}

int
privdrop_prepare(const char *service_user, const char *data_dir, char *err,
    size_t errlen)
{
	struct stat st;
	int created, fd, rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (data_dir == NULL)
		return errbuf_fail(err, errlen, "no data directory given");
	unsetenv("PGDATA");
	if (geteuid() == 0)
		return privdrop_as_root(service_user, data_dir, err, errlen);

	if (privdrop_mkdirs(data_dir, &created, err, errlen) != 0)
		return -1;

	if ((fd = privdrop_open_dir(data_dir, &st, err, errlen)) < 0)
		return -1;
	if (st.st_uid != geteuid()) {
		errbuf_fail(err, errlen,
		    "data directory %s is owned by uid %u (%s), not by us "
		    "(uid %u)", data_dir, (unsigned)st.st_uid,
		    privdrop_owner_name(st.st_uid), (unsigned)geteuid());
		close(fd);
		return -1;
	}
	rc = privdrop_tighten(fd, &st, data_dir, err, errlen);
	close(fd);
	return rc;
}

const char *
privdrop_default_data_dir(void)
{
	static char buf[PATH_MAX];
	const char *state, *home;
	struct passwd *pw;
	int n;

	if (geteuid() == 0)
		return "/var/lib/tafel";

	state = getenv("XDG_STATE_HOME");
	if (state != NULL && state[0] == '/')	/* relative: ignore (XDG spec) */
		n = snprintf(buf, sizeof buf, "%s/tafel", state);
	else {
		home = getenv("HOME");
		if (home == NULL || home[0] != '/') {
			pw = getpwuid(geteuid());
			if (pw == NULL || pw->pw_dir == NULL ||
			    pw->pw_dir[0] != '/')
				return NULL;
			home = pw->pw_dir;
		}
		n = snprintf(buf, sizeof buf, "%s/.local/state/tafel", home);
	}
	if (n < 0 || (size_t)n >= sizeof buf)
		return NULL;
	return buf;
}
