# Every dependency comes from a Debian package; a missing one stops the
# configure step and names the package to install.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
	message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()

function(xsmmu_require_pkg var module debpkg)
	pkg_check_modules(${var} IMPORTED_TARGET ${module})
	if(NOT ${var}_FOUND)
		message(FATAL_ERROR
			"${module} not found: apt-get install ${debpkg}")
	endif()
endfunction()

xsmmu_require_pkg(CMOCKA cmocka libcmocka-dev)
xsmmu_require_pkg(URCU liburcu liburcu-dev)
xsmmu_require_pkg(JEMALLOC jemalloc libjemalloc-dev)
xsmmu_require_pkg(JANSSON jansson libjansson-dev)

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)

find_package(benchmark CONFIG QUIET)
if(NOT benchmark_FOUND)
	message(FATAL_ERROR
		"Google Benchmark not found: apt-get install libbenchmark-dev")
endif()
