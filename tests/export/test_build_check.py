#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How scripts/kernel-build-check tells a new warning from an old one
that moved (ctest -L export; the builds themselves need a kernel tree).

usage: test_build_check.py SCRIPT
"""
import importlib.machinery
import importlib.util
import sys

loader = importlib.machinery.SourceFileLoader("kbc", sys.argv[1])
spec = importlib.util.spec_from_loader("kbc", loader)
kbc = importlib.util.module_from_spec(spec)
loader.exec_module(kbc)

SRC = "/scratch/src"
BEFORE = """\
$ make W=1 drivers/iommu/intel/iommu.o
/scratch/src/drivers/iommu/intel/iommu.c: In function 'domain_init':
/scratch/src/drivers/iommu/intel/iommu.c:120:5: warning: variable 'x' set but not used [-Wunused-but-set-variable]
/scratch/src/arch/arm64/kernel/vdso/vgettimeofday.c:9:5: warning: no previous prototype for '__kernel_clock_gettime' [-Wmissing-prototypes]
"""
# The old warning moved 40 lines down; a new one in another function;
# the same message twice where it was once.
AFTER = """\
$ make W=1 drivers/iommu/intel/iommu.o
/scratch/src/drivers/iommu/intel/iommu.c: In function 'domain_init':
/scratch/src/drivers/iommu/intel/iommu.c:160:5: warning: variable 'x' set but not used [-Wunused-but-set-variable]
/scratch/src/drivers/iommu/intel/iommu.c: In function \u2018intel_iommu_sync_iotlb_ranges\u2019:
/scratch/src/drivers/iommu/intel/iommu.c:1851:1: warning: the frame size of 1124 bytes is larger than 1024 bytes [-Wframe-larger-than=]
/scratch/src/drivers/iommu/intel/iommu.c: At top level:
/scratch/src/drivers/iommu/intel/iommu.c:2000:12: warning: 'unused_helper' defined but not used [-Wunused-function]
/scratch/src/arch/arm64/kernel/vdso/vgettimeofday.c:9:5: warning: no previous prototype for '__kernel_clock_gettime' [-Wmissing-prototypes]
/scratch/src/arch/arm64/kernel/vdso/vgettimeofday.c:9:5: warning: no previous prototype for '__kernel_clock_gettime' [-Wmissing-prototypes]
"""

new = kbc.warnings_of(AFTER, SRC) - kbc.warnings_of(BEFORE, SRC)
want = {("drivers/iommu/intel/iommu.c", "intel_iommu_sync_iotlb_ranges",
         "warning", "the frame size of 1124 bytes is larger than 1024 "
         "bytes [-Wframe-larger-than=]"): 1,
        ("drivers/iommu/intel/iommu.c", "", "warning",
         "'unused_helper' defined but not used [-Wunused-function]"): 1,
        ("arch/arm64/kernel/vdso/vgettimeofday.c", "", "warning",
         "no previous prototype for '__kernel_clock_gettime' "
         "[-Wmissing-prototypes]"): 1}
if dict(new) != want:
    print("FAIL: new warnings %s, expected %s" % (dict(new), want))
    sys.exit(1)
if kbc.warnings_of(BEFORE, SRC) - kbc.warnings_of(BEFORE, SRC):
    print("FAIL: a log has warnings new against itself")
    sys.exit(1)
print("ok: build_check_warnings")
