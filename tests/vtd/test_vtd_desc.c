// SPDX-License-Identifier: GPL-2.0
/*
 * Bit-exact checks of the 128-bit legacy invalidation descriptors (VT-d
 * spec 6.5.2). Every expected value below was assembled by hand from the
 * field positions of the specification, which are the positions the 5.15
 * kernel's QI_* macros (include/linux/intel-iommu.h) encode; none is
 * computed with the macros under test.
 */
#include <string.h>

#include "vtd_fixture.h"

static const struct vtd_desc_limits lim_full = {
	.mamv = 18, .psi = true, .dev_tlb = true, .dit = true,
	.wide = false,
};

/* Field macros sit where the spec (and 5.15's QI_* macros) put them. */
static void test_desc_field_positions(void **state)
{
	/* IOTLB: G 5:4, DW 6, DR 7, DID 31:16; AM 5:0, IH 6, ADDR 63:12. */
	assert_int_equal(VTD_IOTLB_G(3), 0x30);
	assert_int_equal(VTD_IOTLB_DW, 0x40);
	assert_int_equal(VTD_IOTLB_DR, 0x80);
	assert_int_equal(VTD_IOTLB_DID(0xffff), 0xffff0000ULL);
	assert_int_equal(VTD_IOTLB_AM(0x3f), 0x3f);
	assert_int_equal(VTD_IOTLB_IH, 0x40);
	assert_int_equal(VTD_IOTLB_ADDR(~0ULL), 0xfffffffffffff000ULL);
	/* Wait: IF 4, SW 5, FN 6, PD 7, data 63:32; status address 63:2. */
	assert_int_equal(VTD_WAIT_IF, 0x10);
	assert_int_equal(VTD_WAIT_SW, 0x20);
	assert_int_equal(VTD_WAIT_FN, 0x40);
	assert_int_equal(VTD_WAIT_PD, 0x80);
	assert_int_equal(VTD_WAIT_DATA(0xffffffffU), 0xffffffff00000000ULL);
	assert_int_equal(VTD_WAIT_ADDR(~0ULL), 0xfffffffffffffffcULL);
	/* CC: G 5:4, DID 31:16, SID 47:32, FM 49:48. */
	assert_int_equal(VTD_CC_G(3), 0x30);
	assert_int_equal(VTD_CC_DID(0xffff), 0xffff0000ULL);
	assert_int_equal(VTD_CC_SID(0xffff), 0x0000ffff00000000ULL);
	assert_int_equal(VTD_CC_FM(3), 0x0003000000000000ULL);
	/* Device-TLB: PFSID 15:12 and 63:52, MIP 20:16, SID 47:32; S 0. */
	assert_int_equal(VTD_DEVTLB_PFSID_LO(0xffff), 0xf000);
	assert_int_equal(VTD_DEVTLB_PFSID_HI(0xffff), 0xfff0000000000000ULL);
	assert_int_equal(VTD_DEVTLB_MIP(0x1f), 0x1f0000);
	assert_int_equal(VTD_DEVTLB_SID(0xffff), 0x0000ffff00000000ULL);
	assert_int_equal(VTD_DEVTLB_S, 1);
	/* IEC: G 4, IM 31:27, IIDX 47:32. */
	assert_int_equal(VTD_IEC_G_INDEX, 0x10);
	assert_int_equal(VTD_IEC_IM(0x1f), 0xf8000000ULL);
	assert_int_equal(VTD_IEC_IIDX(0xffff), 0x0000ffff00000000ULL);
	/* Type[3:0] and Type[6:4] at 11:9. */
	assert_int_equal(VTD_DESC_TYPE_LO(0xe05ULL), 5);
	assert_int_equal(VTD_DESC_TYPE_HI(0xe05ULL), 7);
}

/*
 * Reserved masks: every bit of a legacy descriptor is exactly one of
 * type, type-hi, field or reserved, so field | reserved | type covers all
 * 128 bits with no overlap (spec 6.5.2.1-6.5.2.8 figures).
 */
static void test_desc_reserved_masks(void **state)
{
	const u64 type = XS_GENMASK(3, 0) | XS_GENMASK(11, 9);

	assert_int_equal(VTD_IOTLB_RSVD0, 0xffffffff0000f100ULL);
	assert_int_equal(VTD_IOTLB_RSVD1, 0xf80);
	assert_int_equal(VTD_IOTLB_RSVD0 | type | XS_GENMASK(7, 4) |
			 XS_GENMASK(31, 16), ~0ULL);
	assert_int_equal(VTD_CC_RSVD0, 0xfffc00000000f1c0ULL);
	assert_int_equal(VTD_CC_RSVD0 | type | XS_GENMASK(5, 4) |
			 XS_GENMASK(49, 16), ~0ULL);
	assert_int_equal(VTD_DEVTLB_RSVD0, 0x000f0000ffe001f0ULL);
	assert_int_equal(VTD_DEVTLB_RSVD1, 0xffe);
	assert_int_equal(VTD_DEVTLB_RSVD0 | type | XS_GENMASK(20, 12) |
			 XS_GENMASK(47, 32) | XS_GENMASK(63, 52), ~0ULL);
	assert_int_equal(VTD_IEC_RSVD0, 0xffff000007fff1e0ULL);
	assert_int_equal(VTD_IEC_RSVD0 | type | XS_BIT(4) |
			 XS_GENMASK(47, 27), ~0ULL);
	assert_int_equal(VTD_WAIT_RSVD0, 0x00000000fffff100ULL);
	assert_int_equal(VTD_WAIT_RSVD1, 0x3);
	assert_int_equal(VTD_WAIT_RSVD0 | type | XS_GENMASK(7, 4) |
			 XS_GENMASK(63, 32), ~0ULL);
}

static void test_desc_iotlb_encode(void **state)
{
	struct vtd_desc d;

	/* PSI, DID 0x1234, DR, DW; AM 5, IH, ADDR 0x7fffabcde000. */
	d = vtd_desc_iotlb(VTD_IOTLB_PSI, 0x1234, 0x7fffabcde000ULL, 5, true,
			   true, true);
	assert_int_equal(d.qw0, 0x00000000123400f2ULL);
	assert_int_equal(d.qw1, 0x00007fffabcde045ULL);
	assert_int_equal(d.qw2, 0);
	assert_int_equal(d.qw3, 0);

	/* Low address bits never leak into AM/IH (ADDR is 63:12). */
	d = vtd_desc_iotlb(VTD_IOTLB_PSI, 7, 0x5fffULL, 0, false, false,
			   false);
	assert_int_equal(d.qw0, 0x0000000000070032ULL);
	assert_int_equal(d.qw1, 0x0000000000005000ULL);

	d = vtd_desc_iotlb(VTD_IOTLB_DSI, 0xffff, 0, 0, false, false, true);
	assert_int_equal(d.qw0, 0x00000000ffff0062ULL);
	assert_int_equal(d.qw1, 0);

	d = vtd_desc_iotlb(VTD_IOTLB_GLOBAL, 0, 0, 0, false, true, false);
	assert_int_equal(d.qw0, 0x0000000000000092ULL);
	assert_int_equal(d.qw1, 0);
}

static void test_desc_wait_encode(void **state)
{
	struct vtd_desc d;

	d = vtd_desc_wait(true, true, true, 0xcafef00dU, 0x12345678ULL);
	assert_int_equal(d.qw0, 0xcafef00d00000075ULL);
	assert_int_equal(d.qw1, 0x0000000012345678ULL);

	/* Status address is dword aligned: bits 1:0 are reserved. */
	d = vtd_desc_wait(true, false, false, 1, 0xfedcba987ULL);
	assert_int_equal(d.qw0, 0x0000000100000025ULL);
	assert_int_equal(d.qw1, 0x0000000fedcba984ULL);

	d = vtd_desc_wait(false, true, false, 0, 0);
	assert_int_equal(d.qw0, 0x15);
	assert_int_equal(d.qw1, 0);

	d = vtd_desc_wait(false, false, true, 0, 0);
	assert_int_equal(d.qw0, 0x45);
}

static void test_desc_cc_encode(void **state)
{
	struct vtd_desc d;

	d = vtd_desc_cc(VTD_CC_DEVICE, 0xbeef, 0x1234, 2);
	assert_int_equal(d.qw0, 0x00021234beef0031ULL);
	assert_int_equal(d.qw1, 0);

	d = vtd_desc_cc(VTD_CC_GLOBAL, 0, 0, 0);
	assert_int_equal(d.qw0, 0x11);

	d = vtd_desc_cc(VTD_CC_DOMAIN, 0x0042, 0, 0);
	assert_int_equal(d.qw0, 0x0000000000420021ULL);
}

static void test_desc_devtlb_encode(void **state)
{
	struct vtd_desc d;

	/* PFSID 0x1f5a: low nibble 0xa at 15:12, 0x1f5 at 63:52. */
	d = vtd_desc_devtlb(0xabcd, 0x1f5a, 0x1f, 0x7fff12345000ULL, true);
	assert_int_equal(d.qw0, 0x1f50abcd001fa003ULL);
	assert_int_equal(d.qw1, 0x00007fff12345001ULL);

	d = vtd_desc_devtlb(0x0100, 0x0100, 0, 0x1fffULL, false);
	assert_int_equal(d.qw0, 0x0100010000000003ULL);
	assert_int_equal(d.qw1, 0x1000);
}

static void test_desc_iec_encode(void **state)
{
	struct vtd_desc d;

	d = vtd_desc_iec(true, 0xfedc, 0x1f);
	assert_int_equal(d.qw0, 0x0000fedcf8000014ULL);
	assert_int_equal(d.qw1, 0);

	d = vtd_desc_iec(false, 0, 0);
	assert_int_equal(d.qw0, 0x4);
}

static void decode_ok(const struct vtd_desc *d, struct vtd_desc_fields *f)
{
	const char *why;

	memset(f, 0xa5, sizeof(*f));
	why = vtd_desc_decode(d, &lim_full, f);
	if (why)
		fail_msg("valid descriptor %016llx:%016llx rejected: %s",
			 (unsigned long long)d->qw1, (unsigned long long)d->qw0,
			 why);
}

static void test_desc_decode_roundtrip(void **state)
{
	struct vtd_desc_fields f;
	struct vtd_desc d;
	char buf[160];

	d = vtd_desc_iotlb(VTD_IOTLB_PSI, 0x1234, 0x7fffabcde000ULL, 5, true,
			   true, false);
	decode_ok(&d, &f);
	assert_int_equal(f.type, VTD_DESC_IOTLB);
	assert_int_equal(f.gran, VTD_IOTLB_PSI);
	assert_int_equal(f.did, 0x1234);
	assert_int_equal(f.addr, 0x7fffabcde000ULL);
	assert_int_equal(f.am, 5);
	assert_true(f.ih);
	assert_true(f.dr);
	assert_false(f.dw);
	assert_true(vtd_desc_format(&d, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "iotlb"));

	d = vtd_desc_iotlb(VTD_IOTLB_DSI, 9, 0, 0, false, false, true);
	decode_ok(&d, &f);
	assert_int_equal(f.type, VTD_DESC_IOTLB);
	assert_int_equal(f.gran, VTD_IOTLB_DSI);
	assert_int_equal(f.did, 9);
	assert_false(f.ih);
	assert_false(f.dr);
	assert_true(f.dw);

	d = vtd_desc_wait(true, true, false, 0xcafef00dU, 0x12345678ULL);
	decode_ok(&d, &f);
	assert_int_equal(f.type, VTD_DESC_WAIT);
	assert_true(f.wait_sw);
	assert_true(f.wait_if);
	assert_false(f.wait_fn);
	assert_false(f.wait_pd);
	assert_int_equal(f.status_data, 0xcafef00dU);
	assert_int_equal(f.addr, 0x12345678ULL);
	assert_true(vtd_desc_format(&d, buf, sizeof(buf)) > 0);

	d = vtd_desc_cc(VTD_CC_DEVICE, 0xbeef, 0x1234, 2);
	decode_ok(&d, &f);
	assert_int_equal(f.type, VTD_DESC_CC);
	assert_int_equal(f.gran, VTD_CC_DEVICE);
	assert_int_equal(f.did, 0xbeef);
	assert_int_equal(f.sid, 0x1234);
	assert_int_equal(f.fm, 2);

	d = vtd_desc_devtlb(0xabcd, 0x1f5a, 0x1f, 0x7fff12345000ULL, true);
	decode_ok(&d, &f);
	assert_int_equal(f.type, VTD_DESC_DEVTLB);
	assert_int_equal(f.sid, 0xabcd);
	assert_int_equal(f.pfsid, 0x1f5a);
	assert_int_equal(f.mip, 0x1f);
	assert_int_equal(f.addr, 0x7fff12345000ULL);
	assert_true(f.size);

	d = vtd_desc_iec(true, 0xfedc, 0x1f);
	decode_ok(&d, &f);
	assert_int_equal(f.type, VTD_DESC_IEC);
	assert_int_equal(f.gran, 1);
	assert_int_equal(f.iidx, 0xfedc);
	assert_int_equal(f.am, 0x1f);

	d = vtd_desc_iec(false, 0, 0);
	decode_ok(&d, &f);
	assert_int_equal(f.gran, 0);
}

/* Legacy types are 1..5; 0 and 6..15 are reserved (spec 6.5.2). */
static void test_desc_decode_bad_types(void **state)
{
	struct vtd_desc_fields f;
	struct vtd_desc d = { 0 };
	unsigned int t, hi;

	for (t = 0; t < 16; t++) {
		if (t >= 1 && t <= 5)
			continue;
		d.qw0 = t;
		if (!vtd_desc_decode(&d, &lim_full, &f))
			fail_msg("type %u accepted", t);
	}
	/* Type[6:4] in bits 11:9 makes every low type a different one. */
	for (t = 1; t <= 5; t++) {
		for (hi = 1; hi < 8; hi++) {
			d = vtd_desc_iec(false, 0, 0);
			d.qw0 = (d.qw0 & ~0xfULL) | t | ((u64)hi << 9);
			if (!vtd_desc_decode(&d, &lim_full, &f))
				fail_msg("type %u hi %u accepted", t, hi);
		}
	}
}

static void expect_rsvd_rejected(struct vtd_desc base, u64 rsvd0, u64 rsvd1,
				 const char *name)
{
	struct vtd_desc_fields f;
	struct vtd_desc d;
	unsigned int b;

	assert_null(vtd_desc_decode(&base, &lim_full, &f));
	for (b = 0; b < 64; b++) {
		if (rsvd0 & XS_BIT(b)) {
			d = base;
			d.qw0 |= XS_BIT(b);
			if (!vtd_desc_decode(&d, &lim_full, &f))
				fail_msg("%s: reserved qw0 bit %u accepted",
					 name, b);
		}
		if (rsvd1 & XS_BIT(b)) {
			d = base;
			d.qw1 |= XS_BIT(b);
			if (!vtd_desc_decode(&d, &lim_full, &f))
				fail_msg("%s: reserved qw1 bit %u accepted",
					 name, b);
		}
	}
}

static void test_desc_decode_reserved_bits(void **state)
{
	expect_rsvd_rejected(vtd_desc_iotlb(VTD_IOTLB_PSI, 3, 0x5000, 0,
					    false, false, false),
			     VTD_IOTLB_RSVD0, VTD_IOTLB_RSVD1, "iotlb");
	expect_rsvd_rejected(vtd_desc_cc(VTD_CC_GLOBAL, 0, 0, 0),
			     VTD_CC_RSVD0, VTD_CC_RSVD1, "cc");
	expect_rsvd_rejected(vtd_desc_devtlb(0x10, 0x10, 0, 0x5000, false),
			     VTD_DEVTLB_RSVD0, VTD_DEVTLB_RSVD1, "devtlb");
	expect_rsvd_rejected(vtd_desc_iec(false, 0, 0), VTD_IEC_RSVD0,
			     VTD_IEC_RSVD1, "iec");
	expect_rsvd_rejected(vtd_desc_wait(true, false, false, 1, 0x1000),
			     VTD_WAIT_RSVD0, VTD_WAIT_RSVD1, "wait");
}

/* Field values the spec reserves or the capabilities exclude. */
static void test_desc_decode_bad_fields(void **state)
{
	struct vtd_desc_limits lim = lim_full;
	struct vtd_desc_fields f;
	struct vtd_desc d;

	/* IOTLB G = 00b is reserved (spec 6.5.2.3). */
	d = vtd_desc_iotlb(0, 1, 0, 0, false, false, false);
	assert_non_null(vtd_desc_decode(&d, &lim_full, &f));
	/* Context-cache G = 00b is reserved too (spec 6.5.2.1). */
	d = vtd_desc_cc(0, 1, 0, 0);
	assert_non_null(vtd_desc_decode(&d, &lim_full, &f));

	/* AM up to CAP.MAMV is accepted on a PSI, beyond it is not. */
	lim.mamv = 9;
	d = vtd_desc_iotlb(VTD_IOTLB_PSI, 1, 0, 9, false, false, false);
	assert_null(vtd_desc_decode(&d, &lim, &f));
	d = vtd_desc_iotlb(VTD_IOTLB_PSI, 1, 0, 10, false, false, false);
	assert_non_null(vtd_desc_decode(&d, &lim, &f));
	d = vtd_desc_iotlb(VTD_IOTLB_PSI, 1, 0, 0x3f, false, false, false);
	assert_non_null(vtd_desc_decode(&d, &lim, &f));

	/* Device-TLB descriptors need ECAP.DT. */
	lim = lim_full;
	lim.dev_tlb = false;
	d = vtd_desc_devtlb(0x10, 0x10, 0, 0x5000, false);
	assert_non_null(vtd_desc_decode(&d, &lim, &f));
	assert_null(vtd_desc_decode(&d, &lim_full, &f));

	/* In 256-bit mode the upper half of a legacy type must be zero. */
	lim = lim_full;
	lim.wide = true;
	d = vtd_desc_wait(true, false, false, 1, 0x1000);
	assert_null(vtd_desc_decode(&d, &lim, &f));
	d.qw2 = 1;
	assert_non_null(vtd_desc_decode(&d, &lim, &f));
	d.qw2 = 0;
	d.qw3 = XS_BIT(63);
	assert_non_null(vtd_desc_decode(&d, &lim, &f));
	/* ... and is not even fetched in 128-bit mode. */
	assert_null(vtd_desc_decode(&d, &lim_full, &f));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desc_field_positions),
		cmocka_unit_test(test_desc_reserved_masks),
		cmocka_unit_test(test_desc_iotlb_encode),
		cmocka_unit_test(test_desc_wait_encode),
		cmocka_unit_test(test_desc_cc_encode),
		cmocka_unit_test(test_desc_devtlb_encode),
		cmocka_unit_test(test_desc_iec_encode),
		cmocka_unit_test(test_desc_decode_roundtrip),
		cmocka_unit_test(test_desc_decode_bad_types),
		cmocka_unit_test(test_desc_decode_reserved_bits),
		cmocka_unit_test(test_desc_decode_bad_fields),
	};

	return XS_RUN_GROUP("vtd_desc", tests);
}
