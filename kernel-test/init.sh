#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the initramfs that scripts/kernel-check boots: load the test
# module with the xsmmu_check.* arguments of the kernel command line,
# count the translations left in the edu device's domain before and
# after (from the VT-d debugfs), and power off.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug

args=
for word in $(cat /proc/cmdline); do
	case "$word" in
	xsmmu_check.*=*) args="$args ${word#xsmmu_check.}" ;;
	esac
done

edu=
for d in /sys/bus/pci/devices/*; do
	if [ "$(cat $d/vendor)" = 0x1234 ] && [ "$(cat $d/device)" = 0x11e8 ]; then
		edu=${d##*/}
	fi
done

# Leaf entries of edu's domain, and the last-level tables holding them
translations() {
	awk -v dev="$edu" '
		/^Device / { mine = ($2 == dev); next }
		mine && /^0x/ { leaves++; if (!($6 in seen)) { seen[$6] = 1; tables++ } }
		END { printf "leaves=%d tables=%d\n", leaves, tables }
	' /sys/kernel/debug/iommu/intel/domain_translation_struct
}

echo "xsmmu-check: INFO edu=$edu args=$args"
echo "xsmmu-check: INFO translations-before $(translations)"
insmod /xsmmu_check.ko $args
echo "xsmmu-check: INFO insmod-status $?"
echo "xsmmu-check: INFO translations-after $(translations)"
echo "xsmmu-check: END"
reboot -f
