/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON reader for xsmmu-sim --replay: the whole of RFC 8259 but
 * \u escapes beyond ASCII, into a tree. Numbers keep their text, so two
 * outputs of the same printer compare exactly.
 */
#ifndef XS_CLI_JSON_H
#define XS_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING,
		 JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	char *key;		/* in an object, else NULL */
	char *text;		/* a string's value, a number's text */
	bool b;
	struct json *child;	/* first member or element */
	struct json *next;	/* next sibling */
};

/*
 * Parses text (NUL-terminated). Returns the tree, or NULL with a message
 * naming the line in err.
 */
struct json *json_parse(const char *text, char *err, size_t errlen);
void json_free(struct json *j);
/* An object's member, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* A number that is a whole non-negative decimal: 0, or -1. */
int json_u64(const struct json *j, uint64_t *out);

#endif
