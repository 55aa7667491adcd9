/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a cmocka group so that ctest sees every test case on its own:
 * CMake registers "<exe> <test name>" once per test function it finds in
 * the sources, and the executable runs only that case. A name that matches
 * no registered case is an error, so a test function left out of the
 * group's table cannot pass silently.
 */
#ifndef XS_TEST_H
#define XS_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

/* With a group setup and teardown (NULL for none). */
static inline int xs_run_group_setup(const char *group,
				     const struct CMUnitTest *tests, size_t n,
				     CMFixtureFunction setup,
				     CMFixtureFunction teardown,
				     int argc, char **argv)
{
	size_t i;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [test-name]\n", argv[0]);
		return 2;
	}
	if (argc == 2) {
		for (i = 0; i < n; i++)
			if (!strcmp(tests[i].name, argv[1]))
				break;
		if (i == n) {
			fprintf(stderr, "%s: no test named '%s' in group %s\n",
				argv[0], argv[1], group);
			return 2;
		}
		cmocka_set_test_filter(argv[1]);
	}
	return _cmocka_run_group_tests(group, tests, n, setup, teardown);
}

static inline int xs_run_group(const char *group,
			       const struct CMUnitTest *tests, size_t n,
			       int argc, char **argv)
{
	return xs_run_group_setup(group, tests, n, NULL, NULL, argc, argv);
}

#define XS_RUN_GROUP(group, tests) \
	xs_run_group(group, tests, sizeof(tests) / sizeof((tests)[0]), argc, \
		     argv)

#endif
