// SPDX-License-Identifier: GPL-2.0
/*
 * Queued invalidation as the 5.15 driver does it (drivers/iommu/intel/
 * dmar.c), written for the model: the queue and its status words are pages
 * of simulated memory, the hardware is the VT-d model, and spinning on a
 * status word moves the virtual clock one poll at a time up to the next
 * hardware event.
 *
 * Kept from 5.15 on purpose, because the design has to live with them:
 * qi_submit_sync() returns 0 without doing anything when the queue is not
 * enabled; each submission takes count + 2 free slots; an invalid
 * descriptor is handled only by the submitter whose descriptor sits at
 * IQH (it is overwritten with the wait descriptor, -EINVAL); a device-TLB
 * time-out aborts odd slots backwards and the submission restarts; and
 * qi_flush_iotlb() never sets IH in the queued descriptor.
 *
 * Its locking too: q_lock is dropped around every relax of both spins
 * (waiting for free slots, waiting for the status write), so other CPUs
 * queue their descriptors and reclaim slots while one waits.
 *
 * Where 5.15 would spin forever (no slot will ever be freed, or the
 * hardware has stopped with the wait not done) the model says so with a
 * WARN and returns an error; every return but a resubmission is checked
 * by the oracle (S5: the wait it queued completed before the return).
 */
#include <linux/intel-iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <xsmmu/kworld.h>
#include <xsmmu/oracle.h>
#include <xsmmu/model_lock.h>
#include <xsmmu/mutant.h>
#include <xsmmu/sched.h>
#include <xsmmu/vtd.h>

static unsigned int qi_shift(struct intel_iommu *iommu)
{
	return VTD_IQ_SHIFT_128;
}

static u64 desc_slot_phys(struct q_inval *qi, int index)
{
	return qi->xs_desc_phys + ((u64)index << VTD_IQ_SHIFT_128);
}

static void write_desc(struct q_inval *qi, int index,
		       const struct qi_desc *d)
{
	XS_MODEL_GUARD();

	xs_physmem_write64(xs_kw->pm, desc_slot_phys(qi, index), d->qw0);
	xs_physmem_write64(xs_kw->pm, desc_slot_phys(qi, index) + 8, d->qw1);
}

/* The two quadwords of a queue slot as memory holds them now. */
static struct qi_desc read_desc(struct q_inval *qi, int index)
{
	u64 at = desc_slot_phys(qi, index);
	struct qi_desc d = { 0 };

	d.qw0 = xs_physmem_read64(xs_kw->pm, at);
	d.qw1 = xs_physmem_read64(xs_kw->pm, at + 8);
	return d;
}

static void charge(u64 ns)
{
	xs_clock_advance(&xs_kw->clock, ns);
}

/*
 * Turns of the spin in which the hardware had nothing to do but a queue
 * error was pending that this submitter cannot clear (5.15 replaces the
 * bad descriptor only when it is the first of its own submission): after
 * this many, with every other CPU given its turns at each relax, nobody
 * will, and 5.15 would spin forever.
 */
#define QI_IDLE_FAULT_SPINS	64

/*
 * cpu_relax() in the spin: one poll later. Returns false when the
 * hardware has nothing left to do and no fault to report, i.e. the
 * status word will never change (the kernel would hang here). *idle is
 * set when it went on only because a queue error was pending.
 */
static bool qi_spin_once(struct intel_iommu *iommu, bool *idle)
{
	XS_MODEL_GUARD();	/* one look at the hardware, not torn */
	struct vtd_unit *u;
	u64 poll, next, now;

	/* The relax: another simulated CPU may run (include/xsmmu/sched.h). */
	if (unlikely(xs_sched_on))
		xs_sched_relax();
	u = iommu->xs_unit;
	poll = xs_param(&xs_kw->params, XS_P_STATUS_POLL_NS);
	next = vtd_unit_next_event(u);
	now = xs_clock_now(&xs_kw->clock);
	iommu->xs_qi_spins++;
	*idle = false;
	if (next == VTD_NO_EVENT) {
		u32 fsts = vtd_reg_read32(u, VTD_REG_FSTS);

		if (!(fsts & (VTD_FSTS_IQE | VTD_FSTS_ITE)))
			return false;
		*idle = true;
		charge(poll);
		return true;
	}
	/* The status write is seen at the first poll after it lands. */
	if (next > now)
		charge(DIV_ROUND_UP(next - now, poll) * poll);
	else
		charge(poll);
	vtd_unit_run(u);
	return true;
}

/*
 * The status words are written by the hardware model: the CPU reads and
 * writes them under the model lock (READ_ONCE/WRITE_ONCE in the kernel).
 */
static int qi_status(struct q_inval *qi, int idx)
{
	XS_MODEL_GUARD();
	return qi->desc_status[idx];
}

static void qi_set_status(struct q_inval *qi, int idx, int val)
{
	XS_MODEL_GUARD();
	qi->desc_status[idx] = val;
}

/* The queue slot @by slots before @slot, around the ring. */
static int qi_slot_before(int slot, int by)
{
	return (slot + QI_LENGTH - by) % QI_LENGTH;
}

/*
 * After an invalidation time-out (ITE) the hardware drops every wait
 * descriptor still pending. Mark them aborted, as 5.15 does: the odd
 * slot at or below the one before the head, then every second slot
 * backwards, stopping at the slot before the tail.
 */
static void qi_abort_pending_waits(struct q_inval *qi, int hw_head,
				   int hw_tail)
{
	int stop = qi_slot_before(hw_tail, 1);
	int slot = qi_slot_before(hw_head, 1) | 1;

	for (;;) {
		if (qi_status(qi, slot) == QI_IN_USE)
			qi_set_status(qi, slot, QI_ABORT);
		slot = qi_slot_before(slot, 2);
		if (slot == stop)
			break;
	}
}

/*
 * The fault status after a submission: an invalid descriptor (IQE) at
 * our own @index is overwritten with our wait descriptor so the queue
 * can move on (-EINVAL); a time-out (ITE) that aborted our wait asks for
 * a resubmission (-EAGAIN); a completion error (ICE) is only cleared.
 */
static int qi_check_fault(struct intel_iommu *iommu, int index,
			  int wait_index)
{
	struct q_inval *qi = iommu->qi;
	struct vtd_unit *u = iommu->xs_unit;
	unsigned int shift = qi_shift(iommu);
	int hw_head, hw_tail;
	u32 fsts;

	if (qi_status(qi, wait_index) == QI_ABORT)
		return -EAGAIN;
	fsts = vtd_reg_read32(u, VTD_REG_FSTS);
	if (fsts & VTD_FSTS_IQE) {
		hw_head = (int)(vtd_reg_read64(u, VTD_REG_IQH) >> shift);
		if (hw_head == index) {
			struct qi_desc bad = read_desc(qi, hw_head);
			struct qi_desc wait;

			pr_err("DMAR: VT-d detected invalid descriptor: qw0 = %llx, qw1 = %llx\n",
			       (unsigned long long)bad.qw0,
			       (unsigned long long)bad.qw1);
			wait = read_desc(qi, wait_index);
			write_desc(qi, hw_head, &wait);
			vtd_reg_write32(u, VTD_REG_FSTS, (u32)VTD_FSTS_IQE);
			return -EINVAL;
		}
	}
	if (fsts & VTD_FSTS_ITE) {
		hw_head = (int)(vtd_reg_read64(u, VTD_REG_IQH) >> shift);
		hw_tail = (int)(vtd_reg_read64(u, VTD_REG_IQT) >> shift);
		vtd_reg_write32(u, VTD_REG_FSTS, (u32)VTD_FSTS_ITE);
		qi_abort_pending_waits(qi, hw_head, hw_tail);
		if (qi_status(qi, wait_index) == QI_ABORT)
			return -EAGAIN;
	}
	if (fsts & VTD_FSTS_ICE)
		vtd_reg_write32(u, VTD_REG_FSTS, (u32)VTD_FSTS_ICE);
	return 0;
}

static void reclaim_free_desc(struct q_inval *qi)
{
	XS_MODEL_GUARD();

	/* Slots the hardware is done with, oldest first, become free. */
	for (;;) {
		int *st = &qi->desc_status[qi->free_tail];

		if (*st != QI_DONE && *st != QI_ABORT)
			break;
		*st = QI_FREE;
		qi->free_cnt++;
		qi->free_tail = (qi->free_tail + 1) % QI_LENGTH;
	}
}

static void qi_oracle_returned(struct intel_iommu *iommu, u64 status_phys)
{
	if (xs_kw->oracle)
		xs_oracle_wait_returned(xs_kw->oracle, iommu->seq_id,
					status_phys);
}

/*
 * 5.15 waits, dropping q_lock around each relax, until another CPU's
 * reclaim leaves count + 2 free slots. Only a submitter still between
 * queueing and reclaim can free any: with none left the kernel would
 * spin forever, which the model reports and refuses (-EBUSY). Called and
 * returns with q_lock held.
 */
static int qi_wait_free_slots(struct intel_iommu *iommu, unsigned int count)
{
	struct q_inval *qi = iommu->qi;
	bool idle;

	while (qi->free_cnt < (int)count + 2) {
		if (!qi->xs_submitters)
			return -EBUSY;
		raw_spin_unlock(&qi->q_lock);
		/*
		 * With the hardware idle, the slots are held by another
		 * CPU's submission that has not reclaimed them yet: under
		 * the deterministic interleaving that CPU must get a turn
		 * (a relax preempts only once per run), or this spins
		 * forever where the kernel would not.
		 */
		if (!qi_spin_once(iommu, &idle) && xs_sched_on)
			xs_cpu_spin_wait();
		raw_spin_lock(&qi->q_lock);
	}
	return 0;
}

int qi_submit_sync(struct intel_iommu *iommu, struct qi_desc *desc,
		   unsigned int count, unsigned long options)
{
	struct q_inval *qi = iommu->qi;
	struct qi_desc wait_desc = { 0 };
	int wait_index, index, free_cnt;
	unsigned long long iqh = 0, iqt = 0;
	u32 fsts = 0;
	unsigned int i, idle_faults = 0;
	u64 status_phys;
	int rc;

	if (!qi)
		return 0;
restart:
	rc = 0;
	idle_faults = 0;
	raw_spin_lock(&qi->q_lock);
	if (qi_wait_free_slots(iommu, count)) {
		free_cnt = qi->free_cnt;
		raw_spin_unlock(&qi->q_lock);
		/* Nothing was queued: the caller goes on unflushed. */
		if (xs_kw->oracle)
			xs_oracle_report(xs_kw->oracle, XS_S5, iommu->seq_id,
					 -1, 0, 0,
					 "%s: sync gave up before queueing: %d free slots, %u needed, nobody left to free any",
					 iommu->name, free_cnt, count + 2);
		WARN(1, "DMAR: %s: invalidation queue full (%d free, %u needed) and no submitter left to free slots\n",
		     iommu->name, free_cnt, count + 2);
		return -EBUSY;
	}
	index = qi->free_head;
	wait_index = (index + count) % QI_LENGTH;
	for (i = 0; i < count; i++) {
		write_desc(qi, (index + i) % QI_LENGTH, &desc[i]);
		qi_set_status(qi, (index + i) % QI_LENGTH, QI_IN_USE);
	}
	qi_set_status(qi, wait_index, QI_IN_USE);
	status_phys = qi->xs_status_phys + 4ULL * wait_index;
	wait_desc.qw0 = QI_IWD_STATUS_DATA(QI_DONE) | QI_IWD_STATUS_WRITE |
			QI_IWD_TYPE;
	if (options & QI_OPT_WAIT_DRAIN)
		wait_desc.qw0 |= QI_IWD_PRQ_DRAIN;
	if (XSMMU_MUTANT == XSMMU_MUTANT_QI_NO_STATUS_WRITE)
		wait_desc.qw0 &= ~QI_IWD_STATUS_WRITE;	/* mutant */
	wait_desc.qw1 = status_phys;
	write_desc(qi, wait_index, &wait_desc);
	qi->free_head = (qi->free_head + count + 1) % QI_LENGTH;
	qi->free_cnt -= count + 1;
	if (qi->xs_submitters++)
		iommu->xs_qi_queued_behind++;
	if (xs_kw->oracle)
		xs_oracle_wait_issued(xs_kw->oracle, iommu->seq_id,
				      desc_slot_phys(qi, wait_index));
	charge(xs_param(&xs_kw->params, XS_P_MMIO_WRITE_NS));
	vtd_reg_write64(iommu->xs_unit, VTD_REG_IQT,
			(u64)qi->free_head << qi_shift(iommu));

	while (qi_status(qi, wait_index) != QI_DONE) {
		bool progress, idle;

		if (XSMMU_MUTANT == XSMMU_MUTANT_QI_NO_WAIT)
			break;	/* mutant: return before the status write */
		rc = qi_check_fault(iommu, index, wait_index);
		if (rc)
			break;
		/* cpu_relax() without q_lock, as 5.15 does. */
		raw_spin_unlock(&qi->q_lock);
		progress = qi_spin_once(iommu, &idle);
		raw_spin_lock(&qi->q_lock);
		idle_faults = idle ? idle_faults + 1 : 0;
		if (idle_faults > QI_IDLE_FAULT_SPINS)
			progress = false;
		/*
		 * An aborted wait (ITE, maybe cleared by another CPU) is
		 * the fault check's to handle on the next turn.
		 */
		if (!progress && qi_status(qi, wait_index) == QI_IN_USE) {
			/* The kernel spins here forever; say so and stop. */
			iqh = vtd_reg_read64(iommu->xs_unit, VTD_REG_IQH) >> 4;
			iqt = vtd_reg_read64(iommu->xs_unit, VTD_REG_IQT) >> 4;
			fsts = vtd_reg_read32(iommu->xs_unit, VTD_REG_FSTS);
			iommu->xs_qi_stuck++;
			rc = -ETIMEDOUT;
			break;
		}
	}
	/*
	 * The verdict on this wait, before reclaim can hand its slot to
	 * another CPU's submission: every return but the resubmission of
	 * an aborted wait, error or not, claims its wait is over (S5).
	 */
	if (rc == -EAGAIN && xs_kw->oracle)
		xs_oracle_wait_aborted(xs_kw->oracle, iommu->seq_id,
				       status_phys);
	else if (rc != -EAGAIN)
		qi_oracle_returned(iommu, status_phys);
	for (i = 0; i < count; i++)
		qi_set_status(qi, (index + i) % QI_LENGTH, QI_DONE);
	if (rc == -ETIMEDOUT)
		qi_set_status(qi, wait_index, QI_ABORT);
	qi->xs_submitters--;
	reclaim_free_desc(qi);
	raw_spin_unlock(&qi->q_lock);
	if (rc == -EAGAIN)
		goto restart;	/* aborted by a device-TLB time-out */
	WARN(rc == -ETIMEDOUT,
	     "DMAR: %s: invalidation wait at slot %d never completes (IQH %llu IQT %llu FSTS %#x)\n",
	     iommu->name, wait_index, iqh, iqt, fsts);
	return rc;
}

void qi_global_iec(struct intel_iommu *iommu)
{
	struct qi_desc desc = { 0 };

	desc.qw0 = QI_IEC_TYPE;	/* G = 0: global */
	qi_submit_sync(iommu, &desc, 1, 0);
}

void qi_flush_context(struct intel_iommu *iommu, u16 did, u16 sid, u8 fm,
		      u64 type)
{
	struct qi_desc cc = {
		.qw0 = QI_CC_TYPE | QI_CC_GRAN(type) | QI_CC_DID(did) |
		       QI_CC_SID(sid) | QI_CC_FM(fm),
	};

	qi_submit_sync(iommu, &cc, 1, 0);
}

void qi_flush_iotlb(struct intel_iommu *iommu, u16 did, u64 addr,
		    unsigned int size_order, u64 type)
{
	struct qi_desc inv = { 0 };

	/* Drain reads and writes when the unit can (DR, DW). */
	inv.qw0 = QI_IOTLB_TYPE | QI_IOTLB_GRAN(type) | QI_IOTLB_DID(did) |
		  QI_IOTLB_DR(cap_read_drain(iommu->cap) ? 1 : 0) |
		  QI_IOTLB_DW(cap_write_drain(iommu->cap) ? 1 : 0);
	/*
	 * The IH field stays clear: 5.15 passes the hint in bit 6 of @addr,
	 * which the page mask of the address field drops.
	 */
	inv.qw1 = QI_IOTLB_AM(size_order) | QI_IOTLB_ADDR(addr);
	qi_submit_sync(iommu, &inv, 1, 0);
}

void qi_flush_dev_iotlb(struct intel_iommu *iommu, u16 sid, u16 pfsid,
			u16 qdep, u64 addr, unsigned int mask)
{
	/* A queue depth the field cannot hold is sent as 0. */
	u16 invs = qdep < QI_DEV_IOTLB_MAX_INVS ? qdep : 0;
	u64 size_bit = 0;
	struct qi_desc inv = { 0 };

	/*
	 * 2^mask pages: with S set, the device takes the size from the
	 * lowest clear address bit, so set every bit below that one.
	 */
	if (mask) {
		addr |= (1ULL << (VTD_PAGE_SHIFT + mask - 1)) - 1;
		size_bit = QI_DEV_IOTLB_SIZE;
	}
	inv.qw0 = QI_DIOTLB_TYPE | QI_DEV_IOTLB_SID(sid) |
		  QI_DEV_IOTLB_PFSID(pfsid) | QI_DEV_IOTLB_QDEP(invs);
	inv.qw1 = size_bit | QI_DEV_IOTLB_ADDR(addr);
	qi_submit_sync(iommu, &inv, 1, 0);
}

/* First-level (scalable-mode) domains are not modelled: say so. */
void qi_flush_piotlb(struct intel_iommu *iommu, u16 did, u32 pasid, u64 addr,
		     unsigned long npages, bool ih)
{
	pr_err("DMAR: %s: PASID-based IOTLB invalidation is not modelled\n",
	       iommu->name);
	WARN_ON(1);
}

int dmar_enable_qi(struct intel_iommu *iommu)
{
	struct vtd_unit *u = iommu->xs_unit;
	struct page *qpage, *spage;
	struct q_inval *qi;

	if (!ecap_qis(iommu->ecap))
		return -ENOENT;
	if (iommu->qi)
		return 0;
	qi = kzalloc(sizeof(*qi), GFP_KERNEL);
	qpage = alloc_page(GFP_KERNEL | __GFP_ZERO);
	spage = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!qi || !qpage || !spage) {
		kfree(qi);
		if (qpage)
			__free_page(qpage);
		if (spage)
			__free_page(spage);
		return -ENOMEM;
	}
	xs_page_set_kind(qpage, XS_PAGE_KIND_QUEUE);
	xs_page_set_kind(spage, XS_PAGE_KIND_QUEUE);
	xs_page_set_owner(qpage, "dmar invalidation queue");
	xs_page_set_owner(spage, "dmar invalidation status");
	qi->desc = page_address(qpage);
	qi->desc_status = page_address(spage);
	qi->xs_desc_phys = page_to_phys(qpage);
	qi->xs_status_phys = page_to_phys(spage);
	qi->free_head = 0;
	qi->free_tail = 0;
	qi->free_cnt = QI_LENGTH;
	raw_spin_lock_init(&qi->q_lock);
	iommu->qi = qi;

	/* IQT = 0, IQA = base with QS = 0 (256 entries), then QIE. */
	vtd_reg_write64(u, VTD_REG_IQT, 0);
	vtd_reg_write64(u, VTD_REG_IQA, qi->xs_desc_phys);
	iommu->gcmd |= VTD_GCMD_QIE;
	vtd_reg_write32(u, VTD_REG_GCMD, iommu->gcmd);
	if (!(vtd_reg_read32(u, VTD_REG_GSTS) & VTD_GSTS_QIES))
		return -EIO;
	return 0;
}

void dmar_disable_qi(struct intel_iommu *iommu)
{
	struct q_inval *qi = iommu->qi;

	if (!qi)
		return;
	iommu->gcmd &= ~VTD_GCMD_QIE;
	vtd_reg_write32(iommu->xs_unit, VTD_REG_GCMD, iommu->gcmd);
	free_page((unsigned long)qi->desc);
	free_page((unsigned long)qi->desc_status);
	kfree(qi);
	iommu->qi = NULL;
}
