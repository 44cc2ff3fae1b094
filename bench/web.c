/*
 * web.c - bench_web: requests per second and latency of `kartoteka serve`
 * (the login form, logging in, search and the document view) with C
 * concurrent clients, optionally while S slow connections from another
 * loopback address trickle header bytes and never finish (a slowloris).
 * Run by bench/web.sh, by hand, never by ctest.
 *
 *   bench_web --port P --user NAME [options] < password
 *
 * Each client is a thread with one HTTP/1.1 keep-alive connection (plain
 * POSIX sockets, poll() with a deadline on every step). The run has three
 * phases, all clients starting each together at a barrier, so that each
 * kind's req/s is its own:
 *   login   each client fetches the form and logs in L times (form, login:
 *           both counted over this phase)
 *   search  N searches (/search?q=WORD), shared out between the clients
 *   doc     N document views (/doc/ID, the HTML page; not its images)
 * The documents are the ids the setup's /api/search found for the query
 * words. Refused: HTTP 429 or 503, a connection refused, or one closed or
 * reset before its answer. Failed: no answer within --timeout, any other
 * status than the expected one, or not run before the --deadline.
 * Exit: 0 all answered as expected, 1 some refused or failed, 2 setup error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { K_FORM, K_LOGIN, K_SEARCH, K_DOC, K_N };
static const char *const kind_name[K_N] = { "form", "login", "search", "doc" };

/* outcome of one request */
enum { RS_NOTRUN, RS_OK, RS_429, RS_503, RS_CONNREFUSED, RS_RESET, RS_TIMEOUT, RS_OTHER, RS_N };
static const char *const res_name[RS_N] = { "not_run", "ok", "http_429", "http_503",
	"conn_refused", "closed_or_reset", "timeout", "other_status" };

#define MAX_QUERIES 32
#define MAX_DOCS 256
#define BUF_CAP (256 * 1024)

static struct {
	const char *host, *user, *slow_from, *label;
	int port, clients, requests, logins, slow, json;
	double slow_every, warmup, timeout, deadline;
	const char *queries[MAX_QUERIES];
	int nq;
	char password[512];
} O = { .host = "127.0.0.1", .slow_from = "127.0.0.2", .label = "run", .clients = 10,
	.requests = 200, .logins = 3, .slow_every = 5, .warmup = 5, .timeout = 10, .deadline = 540 };

static double t_end;                    /* the hard deadline, monotonic seconds */
static long long docs[MAX_DOCS];
static int n_docs;

/* per kind: each request's latency (seconds) and outcome, by its index */
static struct {
	double *lat;
	unsigned char *res;
	int total;
	atomic_int next;
	double wall;                    /* the phase's wall time */
} K[K_N];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *need(void *p)
{
	if (p == NULL) {
		fprintf(stderr, "bench_web: out of memory\n");
		exit(2);
	}
	return p;
}

static int ms_left(double until)
{
	double left = until - now();

	return left <= 0 ? 0 : left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
}

/* ------------------------------------------------------------ sockets */

/* A non-blocking TCP connection to O.host:O.port from src (or any), waited
 * for until `until` (until 0: not waited for, *pending set). The socket, or
 * -1 with *why the outcome. */
static int open_conn(const char *src, double until, int *why, int *pending)
{
	struct sockaddr_in sa = { 0 }, from = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), e = 0;
	socklen_t el = sizeof e;

	*why = RS_RESET;
	if (fd < 0)
		return -1;
	if (src) {
		from.sin_family = AF_INET;
		if (inet_pton(AF_INET, src, &from.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&from, sizeof from) != 0) {
			close(fd);
			return -1;
		}
	}
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)O.port);
	inet_pton(AF_INET, O.host, &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		*why = errno == ECONNREFUSED ? RS_CONNREFUSED : RS_RESET;
		close(fd);
		return -1;
	}
	if (pending) {
		*pending = 1;
		return fd;
	}
	{
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (poll(&p, 1, ms_left(until)) != 1) {
			*why = RS_TIMEOUT;
			close(fd);
			return -1;
		}
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0 || e != 0) {
		*why = e == ECONNREFUSED ? RS_CONNREFUSED : RS_RESET;
		close(fd);
		return -1;
	}
	return fd;
}

/* ------------------------------------------------------------ HTTP */

typedef struct {
	int fd;
	char *buf;                      /* the answer: headers, then the body's first bytes */
	size_t len, hdr_len;
	int status;
	char session[160];              /* kt_session cookie value */
	char csrf[160];                 /* login form token (cookie and field) */
	int id;
} client;

/* The value of header `name` (case-blind) in the answer's headers, copied
 * into out up to the first of `stops`; 1 when found. With prefix, only a
 * value starting with it counts, and what follows it is copied. */
static int header(const client *c, const char *name, const char *prefix, const char *stops,
		  char *out, size_t n)
{
	size_t nl = strlen(name), pl = prefix ? strlen(prefix) : 0, i, k;

	for (i = 0; i + nl + 2 < c->hdr_len; i++) {
		const char *v;

		if ((i > 0 && c->buf[i - 1] != '\n') || strncasecmp(c->buf + i, name, nl) ||
		    c->buf[i + nl] != ':')
			continue;
		v = c->buf + i + nl + 1;
		while (*v == ' ')
			v++;
		if (pl && strncmp(v, prefix, pl))
			continue;
		v += pl;
		for (k = 0; k + 1 < n && v[k] && !strchr(stops, v[k]); k++)
			out[k] = v[k];
		out[k] = '\0';
		return 1;
	}
	return 0;
}

static void drop(client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Send req on c's connection (opened when needed) and read its answer into
 * c->buf (its first BUF_CAP bytes; the rest is read and dropped). An
 * R_ outcome: RS_OK when an answer came, whatever its status. */
static int exchange(client *c, const char *req, size_t n, double until)
{
	size_t off = 0, body_want = 0;
	int why, chunked = 0, close_after = 0, have_len = 0;
	long long body_seen = 0;
	char v[64];

	c->len = c->hdr_len = 0;
	c->status = 0;
	if (c->fd < 0 && (c->fd = open_conn(NULL, until, &why, NULL)) < 0)
		return why;
	while (off < n) {
		struct pollfd p = { .fd = c->fd, .events = POLLOUT };
		ssize_t k;

		if (poll(&p, 1, ms_left(until)) != 1)
			return drop(c), RS_TIMEOUT;
		k = send(c->fd, req + off, n - off, MSG_NOSIGNAL);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (k <= 0)
			return drop(c), errno == ECONNREFUSED ? RS_CONNREFUSED : RS_RESET;
		off += (size_t)k;
	}
	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		char scratch[16384], *to = c->len < BUF_CAP - 1 ? c->buf + c->len : scratch;
		size_t room = c->len < BUF_CAP - 1 ? BUF_CAP - 1 - c->len : sizeof scratch;
		ssize_t k;

		if (poll(&p, 1, ms_left(until)) != 1)
			return drop(c), RS_TIMEOUT;
		k = recv(c->fd, to, room, 0);
		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (k <= 0) {
			drop(c);
			/* closed: the end of an answer without a length, or no answer */
			return c->hdr_len && !have_len && !chunked ? RS_OK : RS_RESET;
		}
		if (to == c->buf + c->len) {
			c->len += (size_t)k;
			c->buf[c->len] = '\0';
		}
		if (c->hdr_len == 0) {
			char *end = strstr(c->buf, "\r\n\r\n");

			if (end == NULL) {
				if (c->len >= BUF_CAP - 1)
					return drop(c), RS_OTHER;
				continue;
			}
			c->hdr_len = (size_t)(end - c->buf) + 4;
			if (sscanf(c->buf, "HTTP/1.%*d %d", &c->status) != 1)
				return drop(c), RS_OTHER;
			if (header(c, "Content-Length", NULL, "\r", v, sizeof v)) {
				have_len = 1;
				body_want = (size_t)strtoull(v, NULL, 10);
			}
			chunked = header(c, "Transfer-Encoding", "chunked", "\r", v, sizeof v);
			close_after = header(c, "Connection", "close", "\r", v, sizeof v);
			body_seen = (long long)(c->len - c->hdr_len);
		} else {
			body_seen += k;
		}
		if (have_len && (size_t)body_seen >= body_want)
			break;
		/* a chunked body ends with its zero-length chunk */
		if (chunked && c->len < BUF_CAP - 1 && c->len >= c->hdr_len + 5 &&
		    !strcmp(c->buf + c->len - 5, "0\r\n\r\n"))
			break;
		if (chunked && c->len >= BUF_CAP - 1)
			return drop(c), RS_OTHER; /* too long to follow: not expected here */
	}
	if (close_after)
		drop(c);
	return RS_OK;
}

static void url_encode(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0;

	for (; *s && k + 4 < n; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    strchr("-._~", ch)) {
			out[k++] = (char)ch;
		} else {
			out[k++] = '%';
			out[k++] = hex[ch >> 4];
			out[k++] = hex[ch & 15];
		}
	}
	out[k] = '\0';
}

/* GET path with the session cookie (if any); the outcome, with an answer of
 * another status than `want` as RS_OTHER and 429/503 as theirs. */
static int get(client *c, const char *path, int want, double until)
{
	char req[2048];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n%s%s%s\r\n", path,
			 O.host, O.port, c->session[0] ? "Cookie: kt_session=" : "", c->session,
			 c->session[0] ? "\r\n" : "");
	int r = exchange(c, req, (size_t)n, until);

	if (r != RS_OK)
		return r;
	return c->status == want ? RS_OK : c->status == 429 ? RS_429 : c->status == 503 ? RS_503 :
	       RS_OTHER;
}

/* The login form: its token into c->csrf. */
static int login_form(client *c, double until)
{
	const char *v;
	int r = get(c, "/login", 200, until);
	char cookie[160];
	size_t k;

	if (r != RS_OK)
		return r;
	if (!header(c, "Set-Cookie", "kt_login_csrf=", ";\r", cookie, sizeof cookie) ||
	    (v = strstr(c->buf + c->hdr_len, "name=\"csrf\" value=\"")) == NULL)
		return RS_OTHER;
	v += strlen("name=\"csrf\" value=\"");
	for (k = 0; k + 1 < sizeof c->csrf && v[k] && v[k] != '"'; k++)
		c->csrf[k] = v[k];
	c->csrf[k] = '\0';
	return strcmp(c->csrf, cookie) ? RS_OTHER : RS_OK;
}

/* POST /login with the form's token: 303 and a session cookie. */
static int login_post(client *c, double until)
{
	char req[4096], body[2400], name[400], pw[1600];
	int n, r;

	url_encode(O.user, name, sizeof name);
	url_encode(O.password, pw, sizeof pw);
	snprintf(body, sizeof body, "csrf=%s&name=%s&password=%s", c->csrf, name, pw);
	n = snprintf(req, sizeof req, "POST /login HTTP/1.1\r\nHost: %s:%d\r\nCookie: kt_login_csrf=%s\r\n"
		     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
		     O.host, O.port, c->csrf, strlen(body), body);
	if (n <= 0 || (size_t)n >= sizeof req)
		return RS_OTHER;
	r = exchange(c, req, (size_t)n, until);
	if (r != RS_OK)
		return r;
	if (c->status != 303)
		return c->status == 429 ? RS_429 : c->status == 503 ? RS_503 : RS_OTHER;
	return header(c, "Set-Cookie", "kt_session=", ";\r", c->session, sizeof c->session) ?
	       RS_OK : RS_OTHER;
}

/* ------------------------------------------------------------ clients */

static pthread_barrier_t barrier;

static void record(int kind, int i, double t0, int r)
{
	K[kind].lat[i] = now() - t0;
	K[kind].res[i] = (unsigned char)r;
}

/* One login: the form, then the POST, each recorded at index i. */
static int login_once(client *c, int i)
{
	double t0 = now();
	int r = login_form(c, t0 + O.timeout < t_end ? t0 + O.timeout : t_end);

	record(K_FORM, i, t0, r);
	if (r != RS_OK)
		return r;
	t0 = now();
	r = login_post(c, t0 + O.timeout < t_end ? t0 + O.timeout : t_end);
	record(K_LOGIN, i, t0, r);
	return r;
}

static void *client_run(void *arg)
{
	client *c = arg;
	char path[600], q[400];
	int i, j, kind;

	pthread_barrier_wait(&barrier);         /* the login phase */
	for (j = 0; j < O.logins && now() < t_end; j++)
		login_once(c, c->id * O.logins + j);
	pthread_barrier_wait(&barrier);
	for (kind = K_SEARCH; kind <= K_DOC; kind++) {  /* the search phase, the doc phase */
		pthread_barrier_wait(&barrier);
		while (now() < t_end && (i = atomic_fetch_add(&K[kind].next, 1)) < K[kind].total) {
			double t0 = now(), until = t0 + O.timeout < t_end ? t0 + O.timeout : t_end;

			if (kind == K_SEARCH) {
				url_encode(O.queries[i % O.nq], q, sizeof q);
				snprintf(path, sizeof path, "/search?q=%s", q);
			} else {
				snprintf(path, sizeof path, "/doc/%lld", docs[i % n_docs]);
			}
			record(kind, i, t0, get(c, path, 200, until));
		}
		pthread_barrier_wait(&barrier);
	}
	drop(c);
	return NULL;
}

/* ------------------------------------------------------------ slow connections */

static atomic_int slow_stop;
static struct {
	long attempts, failed, closed_soon, closed_late, answered;
	int held_max, held_end;
	double longest;
} S;

/* S connections from O.slow_from, each sent one byte of a header that never
 * ends every O.slow_every seconds; each one the server closes is opened
 * again a second later. Until slow_stop or the deadline. */
static void *slow_run(void *arg)
{
	static const char trickle[] = "GET /search?q=a HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaa\r\n";
	struct conn { int fd, pending; double opened, next; size_t sent; } *s;
	struct pollfd *p;
	int i, *map;

	(void)arg;
	s = need(calloc((size_t)O.slow, sizeof *s));
	p = need(calloc((size_t)O.slow, sizeof *p));
	map = need(calloc((size_t)O.slow, sizeof *map));
	for (i = 0; i < O.slow; i++) {
		s[i].fd = -1;
		s[i].next = now() + (double)i / O.slow;        /* opened over the first second */
	}
	while (!atomic_load(&slow_stop) && now() < t_end) {
		double t = now();
		int np = 0, held = 0;

		for (i = 0; i < O.slow; i++) {
			struct conn *x = &s[i];

			if (x->fd < 0 && t >= x->next) {
				int why;

				x->pending = 0;
				S.attempts++;
				x->fd = open_conn(O.slow_from, 0, &why, &x->pending);
				x->opened = t;
				x->sent = 0;
				x->next = t;    /* the first byte once connected */
				if (x->fd < 0) {
					S.failed++;
					x->next = t + 1;
					continue;
				}
			}
			if (x->fd < 0)
				continue;
			if (!x->pending && t >= x->next) {
				/* one byte of the header; the blank line never comes */
				char b = trickle[x->sent % (sizeof trickle - 1)];

				if (send(x->fd, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1)
					x->sent++;
				x->next = t + O.slow_every;
			}
			if (!x->pending && t - x->opened > 2)
				held++;
			p[np].fd = x->fd;
			p[np].events = x->pending ? POLLOUT : POLLIN;
			p[np].revents = 0;
			map[np++] = i;
		}
		if (held > S.held_max)
			S.held_max = held;
		S.held_end = held;
		if (poll(p, (nfds_t)np, 100) <= 0)
			continue;
		t = now();
		for (i = 0; i < np; i++) {
			struct conn *x = &s[map[i]];
			char b[512];
			int e = 0;
			socklen_t el = sizeof e;
			ssize_t k;

			if (!p[i].revents)
				continue;
			if (x->pending && !(p[i].revents & (POLLERR | POLLHUP)) &&
			    getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0) {
				x->pending = 0;
				x->opened = t;
				continue;
			}
			if (x->pending) {
				S.failed++;
			} else {
				/* the server closed it (or answered: a 408, say) */
				k = recv(x->fd, b, sizeof b, MSG_DONTWAIT);
				if (k < 0 && errno == EAGAIN)
					continue;
				if (k > 0)
					S.answered++;
				if (t - x->opened < 2)
					S.closed_soon++;
				else
					S.closed_late++;
				if (t - x->opened > S.longest)
					S.longest = t - x->opened;
			}
			close(x->fd);
			x->fd = -1;
			x->next = t + 1;
		}
	}
	for (i = 0; i < O.slow; i++)
		if (s[i].fd >= 0) {
			if (!s[i].pending && now() - s[i].opened > S.longest)
				S.longest = now() - s[i].opened;
			close(s[i].fd);
		}
	free(s);
	free(p);
	free(map);
	return NULL;
}

/* ------------------------------------------------------------ setup and report */

/* Log in on c and find the documents the query words hit (/api/search):
 * their ids into docs. 0, or -1 with a message. */
static int setup(client *c)
{
	char path[600], q[400];
	int i;

	if (login_form(c, now() + O.timeout) != RS_OK || login_post(c, now() + O.timeout) != RS_OK) {
		fprintf(stderr, "bench_web: cannot log in as %s (status %d)\n", O.user, c->status);
		return -1;
	}
	for (i = 0; i < O.nq; i++) {
		const char *at;

		url_encode(O.queries[i], q, sizeof q);
		snprintf(path, sizeof path, "/api/search?q=%s", q);
		if (get(c, path, 200, now() + O.timeout) != RS_OK) {
			fprintf(stderr, "bench_web: %s: status %d\n", path, c->status);
			return -1;
		}
		for (at = c->buf + c->hdr_len; (at = strstr(at, "\"id\":")) != NULL; at += 5) {
			long long id = strtoll(at + 5, NULL, 10);
			int k;

			for (k = 0; k < n_docs && docs[k] != id; k++)
				;
			if (k == n_docs && n_docs < MAX_DOCS && id > 0)
				docs[n_docs++] = id;
		}
	}
	if (n_docs == 0) {
		fprintf(stderr, "bench_web: no document found for the query words (is the store empty?)\n");
		return -1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* nearest-rank percentile of n sorted values, in ms */
static double pct(const double *v, int n, double p)
{
	int i = (int)(p * n + 0.999999) - 1;

	return n == 0 ? 0 : 1000 * v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* One line (or JSON object) per kind; the number of requests refused or failed. */
static int report(void)
{
	int k, i, bad_all = 0;

	if (!O.json)
		printf("%-10s %-7s %8s %8s %9s %9s %9s %9s %8s %7s\n", "run", "kind", "requests", "ok",
		       "req/s", "p50 ms", "p99 ms", "max ms", "refused", "failed");
	else
		printf("{\"run\":\"%s\",\"clients\":%d,\"slow\":%d,\"kinds\":[", O.label, O.clients, O.slow);
	for (k = 0; k < K_N; k++) {
		int n = K[k].total, ok = 0, count[RS_N] = { 0 }, refused, failed, r;
		double *v = need(malloc(sizeof(double) * (size_t)(n ? n : 1)));

		for (i = 0; i < n; i++) {
			count[K[k].res[i]]++;
			if (K[k].res[i] == RS_OK)
				v[ok++] = K[k].lat[i];
		}
		qsort(v, (size_t)ok, sizeof *v, cmp_double);
		refused = count[RS_429] + count[RS_503] + count[RS_CONNREFUSED] + count[RS_RESET];
		failed = count[RS_TIMEOUT] + count[RS_OTHER] + count[RS_NOTRUN];
		bad_all += refused + failed;
		if (!O.json) {
			printf("%-10s %-7s %8d %8d %9.1f %9.1f %9.1f %9.1f %8d %7d\n", O.label, kind_name[k], n,
			       ok, K[k].wall > 0 ? ok / K[k].wall : 0, pct(v, ok, .5), pct(v, ok, .99),
			       pct(v, ok, 1), refused, failed);
		} else {
			printf("%s{\"kind\":\"%s\",\"requests\":%d,\"phase_s\":%.3f,\"req_per_s\":%.2f,"
			       "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"refused\":%d,\"failed\":%d",
			       k ? "," : "", kind_name[k], n, K[k].wall, K[k].wall > 0 ? ok / K[k].wall : 0,
			       pct(v, ok, .5), pct(v, ok, .99), pct(v, ok, 1), refused, failed);
			for (r = 0; r < RS_N; r++)
				printf(",\"%s\":%d", res_name[r], count[r]);
			printf("}");
		}
		free(v);
	}
	if (O.json)
		printf("],\"slow_connections\":{\"from\":\"%s\",\"wanted\":%d,\"byte_every_s\":%.1f,"
		       "\"connects\":%ld,\"connect_failed\":%ld,\"closed_within_2s\":%ld,"
		       "\"closed_later\":%ld,\"answered\":%ld,\"held_max\":%d,\"held_at_end\":%d,"
		       "\"longest_held_s\":%.1f}}\n", O.slow_from, O.slow, O.slow_every, S.attempts,
		       S.failed, S.closed_soon, S.closed_late, S.answered, S.held_max, S.held_end,
		       S.longest);
	else if (O.slow)
		printf("%-10s slow connections from %s (%d wanted, a byte each %.0f s): %ld connects, "
		       "%ld failed, %ld closed by the server within 2 s, %ld later (longest held %.0f s), "
		       "%ld answered; held open (over 2 s) at most %d, at the end %d\n", O.label,
		       O.slow_from, O.slow, O.slow_every, S.attempts, S.failed, S.closed_soon,
		       S.closed_late, S.longest, S.answered, S.held_max, S.held_end);
	return bad_all;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench_web --port P --user NAME [options] < password\n"
		"  --host A          server address (default 127.0.0.1)\n"
		"  -c N              concurrent clients (default 10)\n"
		"  -n N              searches, and as many document views (default 200)\n"
		"  -l N              logins per client (default 3)\n"
		"  -s N              slow connections held meanwhile (default 0)\n"
		"  --slow-from A     their source address (default 127.0.0.2)\n"
		"  --slow-every S    seconds between their bytes (default 5)\n"
		"  --warmup S        seconds the slow connections run before the clients (default 5)\n"
		"  --timeout S       longest wait for one answer (default 10)\n"
		"  --deadline S      the whole run ends by then (default 540)\n"
		"  -q WORD           a search word (repeatable; default a few sample words)\n"
		"  --label NAME      the run's name in the output (default run)\n"
		"  --json            one JSON object instead of the table\n");
	exit(2);
}

static double num(const char *s, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);

	if (*end || end == s || v < lo || v > hi) {
		fprintf(stderr, "bench_web: bad number '%s'\n", s);
		usage();
	}
	return v;
}

static void parse_args(int argc, char **argv)
{
	static const char *const def_q[] = { "Northgate", "employment", "Riga", "Vilnius",
		"passport", "NAZARI", "Migracijos", "LATVIA" };
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) {
			O.json = 1;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (!strcmp(a, "--port")) O.port = (int)num(v, 1, 65535);
		else if (!strcmp(a, "--host")) O.host = v;
		else if (!strcmp(a, "--user")) O.user = v;
		else if (!strcmp(a, "-c")) O.clients = (int)num(v, 1, 1000);
		else if (!strcmp(a, "-n")) O.requests = (int)num(v, 1, 10000000);
		else if (!strcmp(a, "-l")) O.logins = (int)num(v, 1, 1000);
		else if (!strcmp(a, "-s")) O.slow = (int)num(v, 0, 5000);
		else if (!strcmp(a, "--slow-from")) O.slow_from = v;
		else if (!strcmp(a, "--slow-every")) O.slow_every = num(v, 0.1, 3600);
		else if (!strcmp(a, "--warmup")) O.warmup = num(v, 0, 3600);
		else if (!strcmp(a, "--timeout")) O.timeout = num(v, 0.1, 3600);
		else if (!strcmp(a, "--deadline")) O.deadline = num(v, 1, 86400);
		else if (!strcmp(a, "-q") && O.nq < MAX_QUERIES) O.queries[O.nq++] = v;
		else if (!strcmp(a, "--label")) O.label = v;
		else usage();
	}
	if (O.port == 0 || O.user == NULL)
		usage();
	for (i = 0; O.nq == 0 && i < (int)(sizeof def_q / sizeof def_q[0]); i++)
		O.queries[i] = def_q[i];
	if (O.nq == 0)
		O.nq = (int)(sizeof def_q / sizeof def_q[0]);
	if (fgets(O.password, sizeof O.password, stdin) == NULL) {
		fprintf(stderr, "bench_web: the password is one line of standard input\n");
		exit(2);
	}
	O.password[strcspn(O.password, "\r\n")] = '\0';
}

int main(int argc, char **argv)
{
	client *c, setup_c = { .fd = -1 };
	pthread_t *th, slow_th;
	double t0;
	int i, k, bad;

	signal(SIGPIPE, SIG_IGN);
	parse_args(argc, argv);
	t_end = now() + O.deadline;
	K[K_FORM].total = K[K_LOGIN].total = O.clients * O.logins;
	K[K_SEARCH].total = K[K_DOC].total = O.requests;
	c = need(calloc((size_t)O.clients, sizeof *c));
	th = need(calloc((size_t)O.clients, sizeof *th));
	setup_c.buf = need(malloc(BUF_CAP));
	for (k = 0; k < K_N; k++) {
		K[k].lat = need(calloc((size_t)K[k].total, sizeof(double)));
		K[k].res = need(calloc((size_t)K[k].total, 1));    /* RS_NOTRUN */
	}
	if (setup(&setup_c) != 0)
		exit(2);
	drop(&setup_c);
	free(setup_c.buf);
	if (pthread_barrier_init(&barrier, NULL, (unsigned)O.clients + 1) != 0)
		return 2;
	if (O.slow > 0) {
		if (pthread_create(&slow_th, NULL, slow_run, NULL) != 0)
			return 2;
		/* the slow connections take their places first */
		for (t0 = now(); now() - t0 < O.warmup && now() < t_end;)
			usleep(100000);
	}
	for (i = 0; i < O.clients; i++) {
		c[i].fd = -1;
		c[i].id = i;
		if ((c[i].buf = malloc(BUF_CAP)) == NULL ||
		    pthread_create(&th[i], NULL, client_run, &c[i]) != 0) {
			fprintf(stderr, "bench_web: cannot start client %d\n", i);
			return 2;
		}
	}
	for (k = K_LOGIN; k < K_N; k++) {       /* the phases: login (with its forms), search, doc */
		t0 = now();
		pthread_barrier_wait(&barrier);
		pthread_barrier_wait(&barrier);
		K[k].wall = now() - t0;
	}
	K[K_FORM].wall = K[K_LOGIN].wall;
	for (i = 0; i < O.clients; i++) {
		pthread_join(th[i], NULL);
		free(c[i].buf);
	}
	if (O.slow > 0) {
		atomic_store(&slow_stop, 1);
		pthread_join(slow_th, NULL);
	}
	bad = report();
	for (k = 0; k < K_N; k++) {
		free(K[k].lat);
		free(K[k].res);
	}
	free(c);
	free(th);
	pthread_barrier_destroy(&barrier);
	return bad ? 1 : 0;
}
