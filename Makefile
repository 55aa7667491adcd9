# Thin wrapper over CMake so that the README's two commands do everything.
#   make run   install missing packages, build, run the main job
#   make test  install missing packages, build twice (release and
#              ASan+UBSan), run every test in both
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
CMAKE_FLAGS += -DXSMMU_WERROR=ON
endif

.PHONY: all deps build build-san run test test-release test-san test-tsan bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	cmake --build build -j $(JOBS)

build-san: deps
	cmake -S . -B build/san -DCMAKE_BUILD_TYPE=Debug \
		-DXSMMU_SANITIZE=address,undefined $(CMAKE_FLAGS) >/dev/null
	cmake --build build/san -j $(JOBS)

run: build
	build/bin/xsmmu-sim $(ARGS)

test-release: build
	cd build && ctest --output-on-failure -j $(JOBS)

test-san: build-san
	cd build/san && ctest --output-on-failure -j $(JOBS)

test: test-release test-san

test-tsan: deps
	cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug \
		-DXSMMU_SANITIZE=thread $(CMAKE_FLAGS) >/dev/null
	cmake --build build/tsan -j $(JOBS)
	cd build/tsan && ctest --output-on-failure -j $(JOBS) -L threads

bench: build
	cmake --build build --target bench

clean:
	rm -rf build
