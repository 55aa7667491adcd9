// SPDX-License-Identifier: GPL-2.0
/* The NIC's functions across VT-d units (see sim.h). */
#include <linux/iommu.h>
#include <xsmmu/kworld.h>

#include "sim.h"

/* Source ids: the NIC on bus 3 (function u), the others on bus 5. */
#define SIM_NIC_SID	0x0300
#define SIM_OTHER_SID	0x0500

static const char *const fn_names[MLX5E_SIM_MAX_UNITS] = {
	"mlx5_core", "mlx5_core.1", "mlx5_core.2", "mlx5_core.3",
};

int mlx5e_sim_topology_create(struct mlx5e_sim_topology *t,
			      unsigned int nr_units, unsigned int domain_type)
{
	bool identity = domain_type == IOMMU_DOMAIN_IDENTITY;
	/*
	 * The other devices are assigned to guests (VFIO): their domains
	 * are unmanaged, with domain ids and page tables but no IOVA
	 * allocator, which keeps a world of several units as cheap to
	 * build as one (the fuzzer builds one per execution).
	 */
	unsigned int other_type = identity ? domain_type :
				  IOMMU_DOMAIN_UNMANAGED;
	unsigned int u, k;

	memset(t, 0, sizeof(*t));
	if (!nr_units || nr_units > MLX5E_SIM_MAX_UNITS ||
	    nr_units > xs_kw->nr_units)
		return -ENODEV;
	t->fn[0] = xs_device_create(fn_names[0], SIM_NIC_SID, 0, domain_type);
	if (!t->fn[0])
		return -ENODEV;
	t->nr_units = 1;
	for (u = 1; u < nr_units; u++) {
		for (k = 0; k < u; k++) {
			struct device *d;

			if (t->nr_other == MLX5E_SIM_MAX_OTHER)
				goto err;
			d = xs_device_create("vfio",
					     SIM_OTHER_SID + t->nr_other,
					     (int)u, other_type);
			if (!d)
				goto err;
			t->other[t->nr_other++] = d;
		}
		if (identity)
			t->fn[u] = xs_device_create(fn_names[u],
						    SIM_NIC_SID + u, (int)u,
						    domain_type);
		else
			t->fn[u] = xs_device_create_in(fn_names[u],
						       SIM_NIC_SID + u,
						       (int)u, t->fn[0]);
		if (!t->fn[u])
			goto err;
		t->nr_units++;
	}
	return 0;
err:
	mlx5e_sim_topology_destroy(t);
	return -ENODEV;
}

void mlx5e_sim_topology_destroy(struct mlx5e_sim_topology *t)
{
	unsigned int i;

	for (i = t->nr_units; i-- > 0;)
		xs_device_destroy(t->fn[i]);
	for (i = t->nr_other; i-- > 0;)
		xs_device_destroy(t->other[i]);
	memset(t, 0, sizeof(*t));
}
