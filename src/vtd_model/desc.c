// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor decoding and validation (VT-d spec 6.5.2). A descriptor is
 * invalid when its type is not a legacy type, a reserved field is set, or a
 * field exceeds what the capability registers advertise; the queue then
 * reports IQE (spec 6.5.2.10).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <xsmmu/vtd_desc.h>

static const char *decode_cc(const struct vtd_desc *d,
			     struct vtd_desc_fields *f)
{
	f->gran = (unsigned int)XS_FIELD_GET(d->qw0, 5, 4);
	f->did = (u16)XS_FIELD_GET(d->qw0, 31, 16);
	f->sid = (u16)XS_FIELD_GET(d->qw0, 47, 32);
	f->fm = (u8)XS_FIELD_GET(d->qw0, 49, 48);
	if ((d->qw0 & VTD_CC_RSVD0) || (d->qw1 & VTD_CC_RSVD1))
		return "context-cache: reserved bit set";
	if (f->gran == 0)
		return "context-cache: reserved granularity 0";
	return NULL;
}

static const char *decode_iotlb(const struct vtd_desc *d,
				const struct vtd_desc_limits *lim,
				struct vtd_desc_fields *f)
{
	f->gran = (unsigned int)XS_FIELD_GET(d->qw0, 5, 4);
	f->dw = !!(d->qw0 & VTD_IOTLB_DW);
	f->dr = !!(d->qw0 & VTD_IOTLB_DR);
	f->did = (u16)XS_FIELD_GET(d->qw0, 31, 16);
	f->am = (u8)XS_FIELD_GET(d->qw1, 5, 0);
	f->ih = !!(d->qw1 & VTD_IOTLB_IH);
	f->addr = d->qw1 & XS_GENMASK(63, 12);
	if ((d->qw0 & VTD_IOTLB_RSVD0) || (d->qw1 & VTD_IOTLB_RSVD1))
		return "iotlb: reserved bit set";
	if (f->gran == 0)
		return "iotlb: reserved granularity 0";
	if (f->gran == VTD_IOTLB_PSI && f->am > lim->mamv)
		return "iotlb: address mask above CAP.MAMV";
	return NULL;
}

static const char *decode_devtlb(const struct vtd_desc *d,
				 const struct vtd_desc_limits *lim,
				 struct vtd_desc_fields *f)
{
	f->pfsid = (u16)(XS_FIELD_GET(d->qw0, 15, 12) |
			 (XS_FIELD_GET(d->qw0, 63, 52) << 4));
	f->mip = (u8)XS_FIELD_GET(d->qw0, 20, 16);
	f->sid = (u16)XS_FIELD_GET(d->qw0, 47, 32);
	f->size = !!(d->qw1 & VTD_DEVTLB_S);
	f->addr = d->qw1 & XS_GENMASK(63, 12);
	if ((d->qw0 & VTD_DEVTLB_RSVD0) || (d->qw1 & VTD_DEVTLB_RSVD1))
		return "device-tlb: reserved bit set";
	if (!lim->dit && f->pfsid)
		return "device-tlb: PFSID set without ECAP.DIT";
	return NULL;
}

static const char *decode_iec(const struct vtd_desc *d,
			      struct vtd_desc_fields *f)
{
	f->gran = (d->qw0 & VTD_IEC_G_INDEX) ? 1 : 0;
	f->am = (u8)XS_FIELD_GET(d->qw0, 31, 27);
	f->iidx = (u32)XS_FIELD_GET(d->qw0, 47, 32);
	if ((d->qw0 & VTD_IEC_RSVD0) || (d->qw1 & VTD_IEC_RSVD1))
		return "iec: reserved bit set";
	return NULL;
}

static const char *decode_wait(const struct vtd_desc *d,
			       struct vtd_desc_fields *f)
{
	f->wait_if = !!(d->qw0 & VTD_WAIT_IF);
	f->wait_sw = !!(d->qw0 & VTD_WAIT_SW);
	f->wait_fn = !!(d->qw0 & VTD_WAIT_FN);
	f->wait_pd = !!(d->qw0 & VTD_WAIT_PD);
	f->status_data = (u32)XS_FIELD_GET(d->qw0, 63, 32);
	f->addr = d->qw1 & XS_GENMASK(63, 2);
	if ((d->qw0 & VTD_WAIT_RSVD0) || (d->qw1 & VTD_WAIT_RSVD1))
		return "wait: reserved bit set";
	/* PD drains page requests; no page-request support is modelled. */
	if (f->wait_pd)
		return "wait: page-drain without page-request support";
	return NULL;
}

/* A type this unit does not implement: IQEI 3 (spec 6.5.2.10). */
static const char *type_error(const struct vtd_desc *d,
			      const struct vtd_desc_limits *lim)
{
	unsigned int type = (unsigned int)VTD_DESC_TYPE_LO(d->qw0);

	if (VTD_DESC_TYPE_HI(d->qw0))
		return "type: Type[6:4] set (not a legacy descriptor)";
	if (type < VTD_DESC_CC || type > VTD_DESC_WAIT)
		return "type: reserved or unsupported descriptor type";
	if (type == VTD_DESC_DEVTLB && !lim->dev_tlb)
		return "type: device-TLB descriptor without ECAP.DT";
	return NULL;
}

const char *vtd_desc_decode(const struct vtd_desc *d,
			    const struct vtd_desc_limits *lim,
			    struct vtd_desc_fields *out)
{
	const char *err;

	memset(out, 0, sizeof(*out));
	out->type = (enum vtd_desc_type)VTD_DESC_TYPE_LO(d->qw0);
	err = type_error(d, lim);
	if (err) {
		out->iqei = VTD_IQEI_TYPE;
		return err;
	}
	if (lim->wide && (d->qw2 || d->qw3))
		err = "reserved upper 128 bits set";
	else if (out->type == VTD_DESC_CC)
		err = decode_cc(d, out);
	else if (out->type == VTD_DESC_IOTLB)
		err = decode_iotlb(d, lim, out);
	else if (out->type == VTD_DESC_DEVTLB)
		err = decode_devtlb(d, lim, out);
	else if (out->type == VTD_DESC_IEC)
		err = decode_iec(d, out);
	else
		err = decode_wait(d, out);
	if (err)
		out->iqei = VTD_IQEI_RSVD;
	return err;
}

int vtd_desc_format(const struct vtd_desc *d, char *buf, size_t len)
{
	static const char *const gran_name[] = { "g0?", "global", "dsi",
						 "psi" };
	struct vtd_desc_limits lim = { .mamv = 63, .psi = true,
				       .dev_tlb = true, .dit = true };
	struct vtd_desc_fields f;
	const char *err = vtd_desc_decode(d, &lim, &f);

	if (err)
		return snprintf(buf, len, "invalid(%s) %#" PRIx64 " %#" PRIx64,
				err, d->qw0, d->qw1);
	switch (f.type) {
	case VTD_DESC_CC:
		return snprintf(buf, len, "cc g=%u did=%u sid=%#x fm=%u",
				f.gran, f.did, f.sid, f.fm);
	case VTD_DESC_IOTLB:
		return snprintf(buf, len,
				"iotlb %s did=%u addr=%#" PRIx64
				" am=%u ih=%d dr=%d dw=%d",
				gran_name[f.gran], f.did, f.addr, f.am, f.ih,
				f.dr, f.dw);
	case VTD_DESC_DEVTLB:
		return snprintf(buf, len,
				"devtlb sid=%#x pfsid=%#x mip=%u addr=%#" PRIx64
				" s=%d",
				f.sid, f.pfsid, f.mip, f.addr, f.size);
	case VTD_DESC_IEC:
		return snprintf(buf, len, "iec %s iidx=%u im=%u",
				f.gran ? "index" : "global", f.iidx, f.am);
	case VTD_DESC_WAIT:
		return snprintf(buf, len,
				"wait sw=%d if=%d fn=%d data=%#x addr=%#" PRIx64,
				f.wait_sw, f.wait_if, f.wait_fn, f.status_data,
				f.addr);
	}
	return snprintf(buf, len, "?");
}
