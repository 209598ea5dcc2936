/* tafel's entry point: options, settings file, password sources, then batch or terminal UI. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "i18n.h"
#include "log.h"
#include "proto.h"
#include "tls.h"
#include "xmalloc.h"

static void
usage(FILE *f)
{
	fprintf(f, _("Usage: tafel [OPTION]...\n"
	    "Live case-conference register of the safety house (terminal client).\n\n"
	    "  --server HOST:PORT     server to connect to (default 127.0.0.1:%d)\n"
	    "  --user NAME            login name\n"
	    "  --ca FILE              CA certificate the server must chain to\n"
	    "  --cert FILE            client certificate (servers with client_certs)\n"
	    "  --key FILE             private key of the client certificate\n"
	    "  --password-file FILE   read the password from FILE's first line\n"
	    "  --meeting ID           open this meeting straight away\n"
	    "  --presentation         beamer mode: the meeting, following the chair\n"
	    "  --batch                commands on stdin, JSON lines on stdout\n"
	    "  --config FILE          settings file (default $XDG_CONFIG_HOME/tafel/tafel.conf)\n"
	    "  --verbose              log connection details to stderr\n"
	    "  --help                 show this help\n"
	    "  --version              show the version\n"), TAFEL_DEFAULT_PORT);
}

enum { OPT_SERVER = 256, OPT_USER, OPT_CA, OPT_CERT, OPT_KEY, OPT_PWFILE, OPT_BATCH, OPT_MEETING,
	OPT_PRESENTATION, OPT_CONFIG, OPT_HELP, OPT_VERSION, OPT_VERBOSE };

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, OPT_SERVER },
		{ "user", required_argument, NULL, OPT_USER },
		{ "ca", required_argument, NULL, OPT_CA },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "password-file", required_argument, NULL, OPT_PWFILE },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "meeting", required_argument, NULL, OPT_MEETING },
		{ "presentation", no_argument, NULL, OPT_PRESENTATION },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct client_opts o;
	const char *server = NULL, *user = NULL, *ca = NULL, *config = NULL;
	const char *cert = NULL, *key = NULL;
	int batch = 0, c, rc;
	char err[512], *end;

	/* one time zone on every screen, whatever the machine says: the
	 * safety house meets in the Netherlands */
	setenv("TZ", "Europe/Amsterdam", 1);
	tzset();
	i18n_init();
	log_set_prefix("tafel");
	log_set_level(LOG_LVL_WARN);
	memset(&o, 0, sizeof o);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SERVER: server = optarg; break;
		case OPT_USER: user = optarg; break;
		case OPT_CA: ca = optarg; break;
		case OPT_CERT: cert = optarg; break;
		case OPT_KEY: key = optarg; break;
		case OPT_PWFILE: o.password_file = optarg; break;
		case OPT_BATCH: batch = 1; break;
		case OPT_MEETING:
			o.meeting_id = strtoll(optarg, &end, 10);
			if (*end != '\0' || o.meeting_id <= 0) {
				fprintf(stderr, _("tafel: bad meeting id: %s\n"),
				    optarg);
				return 2;
			}
			break;
		case OPT_PRESENTATION: o.presentation = 1; break;
		case OPT_CONFIG: config = optarg; break;
		case OPT_VERBOSE: log_set_level(LOG_LVL_DEBUG); break;
		case OPT_HELP: usage(stdout); return 0;
		case OPT_VERSION:
			printf("tafel %s (protocol %d)\n", TAFEL_VERSION,
			    TAFEL_PROTOCOL_VERSION);
			return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	/* the screen reads its keys from stdin: without a terminal there it
	 * would wait for keys that never come (before anything is
	 * allocated, so that nothing is left to free) */
	if (!batch && !isatty(STDIN_FILENO)) {
		fprintf(stderr, _("tafel: the screen needs a terminal on standard "
		    "input; for commands from a file or a pipe use --batch\n"));
		return 2;
	}
	if (!batch && (rc = ui_terminal_check()) != 0)
		return rc;
	o.config_path = config != NULL ? xstrdup(config) : client_config_path();
	conf_defaults(client_params, &o.cfg);
	if (conf_load_file(client_params, &o.cfg, o.config_path, 1,
	    err, sizeof err) != 0) {
		fprintf(stderr, "tafel: %s\n", err);
		rc = 1;
		goto out;
	}
	if ((server != NULL &&
	    conf_set(client_params, &o.cfg, "server", server, err, sizeof err)) ||
	    (user != NULL &&
	    conf_set(client_params, &o.cfg, "user", user, err, sizeof err)) ||
	    (ca != NULL &&
	    conf_set(client_params, &o.cfg, "ca_file", ca, err, sizeof err)) ||
	    (cert != NULL &&
	    conf_set(client_params, &o.cfg, "cert_file", cert, err, sizeof err)) ||
	    (key != NULL &&
	    conf_set(client_params, &o.cfg, "key_file", key, err, sizeof err))) {
		fprintf(stderr, "tafel: %s\n", err);
		rc = 2;
		goto out;
	}
	if (client_split_server(o.cfg.server, o.host, sizeof o.host, o.port,
	    sizeof o.port) != 0) {
		fprintf(stderr, _("tafel: bad server address: %s\n"), o.cfg.server);
		rc = 2;
		goto out;
	}
	if (o.cfg.ca_file == NULL || o.cfg.ca_file[0] == '\0') {
		fprintf(stderr, _("tafel: no CA certificate: use --ca FILE or set "
		    "ca_file in %s\n"), o.config_path);
		rc = 1;
		goto out;
	}
	/* tls_client_ctx() takes both or neither */
	if ((o.cfg.cert_file == NULL || o.cfg.cert_file[0] == '\0') !=
	    (o.cfg.key_file == NULL || o.cfg.key_file[0] == '\0')) {
		fprintf(stderr, _("tafel: a client certificate needs its key: use "
		    "--cert FILE and --key FILE together (or cert_file and "
		    "key_file in %s)\n"), o.config_path);
		rc = 2;
		goto out;
	}
	tls_init();
	rc = batch ? batch_run(&o) : ui_run(&o);
out:
	/* (every way out after the settings are read frees them: a leak
	 * fails the sanitizer runs' exit status) */
	conf_free(client_params, &o.cfg);
	free(o.config_path);
	return rc;
}
