// SPDX-License-Identifier: GPL-2.0
/* The JSON reader (see json.h): recursive descent over the text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct parser {
	const char *s, *start;
	char *err;
	size_t errlen;
	int depth;
};

static int fail(struct parser *p, const char *what)
{
	const char *c;
	int line = 1;

	for (c = p->start; c < p->s; c++)
		line += *c == '\n';
	if (!*p->s)
		what = "unexpected end of file (cut short?)";
	if (!*p->err)
		snprintf(p->err, p->errlen, "line %d: %s", line, what);
	return -1;
}

static void skip_space(struct parser *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' ||
	       *p->s == '\r')
		p->s++;
}

static struct json *node(enum json_type t)
{
	struct json *j = calloc(1, sizeof(*j));

	if (j)
		j->type = t;
	return j;
}

/* A string at p->s (after its opening quote) into a new buffer. */
static char *parse_string(struct parser *p)
{
	size_t cap = 16, n = 0;
	char *out = malloc(cap), *grown;
	unsigned int u;
	char c;

	if (!out)
		return NULL;
	for (;;) {
		c = *p->s++;
		if (c == '"')
			break;
		if (!c || (unsigned char)c < 0x20) {
			p->s--;
			fail(p, "unterminated string");
			free(out);
			return NULL;
		}
		if (c == '\\') {
			c = *p->s++;
			switch (c) {
			case '"': case '\\': case '/':
				break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				if (sscanf(p->s, "%4x", &u) != 1 || u > 0x7f ||
				    !u) {
					fail(p, "\\u escape beyond ASCII");
					free(out);
					return NULL;
				}
				p->s += 4;
				c = (char)u;
				break;
			default:
				fail(p, "bad escape in a string");
				free(out);
				return NULL;
			}
		}
		if (n + 2 > cap) {
			cap *= 2;
			grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

static struct json *parse_value(struct parser *p);

static struct json *parse_members(struct parser *p, bool object)
{
	struct json *j = node(object ? JSON_OBJECT : JSON_ARRAY);
	struct json **tail = &j->child, *v;
	char close = object ? '}' : ']';
	char *key = NULL;

	if (!j)
		return NULL;
	if (++p->depth > 64) {
		fail(p, "nested too deep");
		goto bad;
	}
	skip_space(p);
	if (*p->s == close) {
		p->s++;
		p->depth--;
		return j;
	}
	for (;;) {
		skip_space(p);
		if (object) {
			if (*p->s != '"') {
				fail(p, "expected a member name");
				goto bad;
			}
			p->s++;
			key = parse_string(p);
			if (!key)
				goto bad;
			skip_space(p);
			if (*p->s++ != ':') {
				p->s--;
				fail(p, "expected ':'");
				goto bad;
			}
		}
		v = parse_value(p);
		if (!v)
			goto bad;
		v->key = key;
		key = NULL;
		*tail = v;
		tail = &v->next;
		skip_space(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s == close) {
			p->s++;
			p->depth--;
			return j;
		}
		fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
		goto bad;
	}
bad:
	free(key);
	json_free(j);
	return NULL;
}

static struct json *parse_number(struct parser *p)
{
	const char *b = p->s;
	struct json *j;

	if (*p->s == '-')
		p->s++;
	if (*p->s == '0')
		p->s++;
	else if (*p->s >= '1' && *p->s <= '9')
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	else
		goto bad;
	if (*p->s == '.') {
		p->s++;
		if (*p->s < '0' || *p->s > '9')
			goto bad;
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	}
	if (*p->s == 'e' || *p->s == 'E') {
		p->s++;
		if (*p->s == '+' || *p->s == '-')
			p->s++;
		if (*p->s < '0' || *p->s > '9')
			goto bad;
		while (*p->s >= '0' && *p->s <= '9')
			p->s++;
	}
	j = node(JSON_NUMBER);
	if (j)
		j->text = strndup(b, (size_t)(p->s - b));
	return j;
bad:
	fail(p, "bad number");
	return NULL;
}

static struct json *parse_value(struct parser *p)
{
	struct json *j;

	skip_space(p);
	switch (*p->s) {
	case '{':
	case '[':
		return parse_members(p, *p->s++ == '{');
	case '"':
		p->s++;
		j = node(JSON_STRING);
		if (j && !(j->text = parse_string(p))) {
			free(j);
			return NULL;
		}
		return j;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "null", 4) ||
		    !strncmp(p->s, "false", 5)) {
			j = node(*p->s == 'n' ? JSON_NULL : JSON_BOOL);
			if (j)
				j->b = *p->s == 't';
			p->s += *p->s == 'f' ? 5 : 4;
			return j;
		}
		break;
	default:
		if (*p->s == '-' || (*p->s >= '0' && *p->s <= '9'))
			return parse_number(p);
	}
	fail(p, *p->s ? "unexpected character" : "unexpected end of file");
	return NULL;
}

struct json *json_parse(const char *text, char *err, size_t errlen)
{
	struct parser p = { .s = text, .start = text, .err = err,
			    .errlen = errlen };
	struct json *j;

	*err = '\0';
	j = parse_value(&p);
	if (!j) {
		if (!*err)
			snprintf(err, errlen, "out of memory");
		return NULL;
	}
	skip_space(&p);
	if (*p.s) {
		fail(&p, "text after the value");
		json_free(j);
		return NULL;
	}
	return j;
}

void json_free(struct json *j)
{
	struct json *next;

	while (j) {
		next = j->next;
		json_free(j->child);
		free(j->key);
		free(j->text);
		free(j);
		j = next;
	}
}

const struct json *json_get(const struct json *obj, const char *key)
{
	const struct json *m;

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (m = obj->child; m; m = m->next)
		if (!strcmp(m->key, key))
			return m;
	return NULL;
}

int json_u64(const struct json *j, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!j || j->type != JSON_NUMBER || j->text[0] == '-')
		return -1;
	errno = 0;
	v = strtoull(j->text, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}
