# anjungan: every target does its own set-up on a fresh Debian machine (apt as root, npm ci,
# build), so `make demo` and `make test` work from a clean clone.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

# Debian packages the build (espeak-ng and opusenc speak the prompts), the PC/SC path and the browser tests need.
APT_PACKAGES := python3 make g++ pkg-config openssl libpcsclite-dev pcscd vsmartcard-vpcd pcsc-tools chromium \
  libfprint-2-2 libfprint-2-dev libglib2.0-dev espeak-ng opus-tools
# The appliance tests: units checked by systemd-analyze, a root file system booted with
# systemd-nspawn (with an SSH login by key), the egress firewall in network namespaces.
APT_PACKAGES += systemd-container mmdebstrap nftables iproute2 util-linux openssh-client
# The SD-card image, made without loop mounts: FAT and ext4 file systems from folders, an MBR.
APT_PACKAGES += dosfstools mtools e2fsprogs fdisk zstd
# Data balikan export tests read the XLSX sheet XML below exceljs.
APT_PACKAGES += unzip
# The semester report test turns the first page of its PDF into an image.
APT_PACKAGES += poppler-utils
# The fleet service's database: its binaries only (fleet/postgres/cluster.ts starts a private
# cluster per test run and for make fleet-demo; no system service is used).
APT_PACKAGES += postgresql
# Updates: RAUC makes and installs bundles (file-backed slots, its service on a private D-Bus),
# veritysetup checks their payload.
APT_PACKAGES += rauc squashfs-tools cryptsetup-bin dbus
LOCK_HASH = $(shell sha256sum package-lock.json | cut -c1-16)-$(shell node --version)
NODE_STAMP := node_modules/.anjungan-$(LOCK_HASH)
# npm ci compiles native modules (better-sqlite3 takes minutes): the installed tree is cached
# per lock file and Node version, so a second clone on the same machine unpacks it instead;
# checkouts with other lock files keep theirs (a tree unused for two days is removed).
CACHE_DIR := $(if $(filter 0,$(shell id -u)),/var/cache/anjungan,$(HOME)/.cache/anjungan)
NODE_CACHE := $(CACHE_DIR)/node_modules-$(LOCK_HASH).tar

.PHONY: fleet-demo demo test build bench system-deps node-deps typecheck clean image image-arm64 image-boot-arm64 appliance-base capture-helper bundle

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing Debian packages (run as root or install): $$missing" >&2; exit 1; fi; \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(NODE_STAMP): package.json package-lock.json
	@if [ -f "$(NODE_CACHE)" ]; then \
	  echo "node_modules from $(NODE_CACHE)"; rm -rf node_modules && tar -xf "$(NODE_CACHE)" && touch "$(NODE_CACHE)"; \
	else \
	  npm ci --no-audit --no-fund && mkdir -p "$(CACHE_DIR)" && find "$(CACHE_DIR)" -maxdepth 1 -name 'node_modules-*.tar' -mtime +2 -delete && \
	  tar -cf "$(NODE_CACHE).tmp" node_modules && mv "$(NODE_CACHE).tmp" "$(NODE_CACHE)"; \
	fi
	touch $@

node-deps: system-deps $(NODE_STAMP)

# The libfprint capture helper (C), built into the cache when its source changed.
capture-helper: system-deps
	@bash device/fingerprint/build-capture-helper.sh >/dev/null

build: node-deps capture-helper
	node build.mjs

typecheck: node-deps
	npx tsc --noEmit

# PCSC=1 runs the kiosk on the real PC/SC path: pcscd + vpcd with the virtual KTP-el and SAM.
# PROD=1 runs the production rehearsal: production mode on virtual devices (libfprint's virtual
# sensor, pcscd + vpcd, the Dukcapil simulator behind a pinned CA); the terminal places cards and fingers.
demo: build
ifeq ($(PROD),1)
	bash test/setup/pcscd.sh start
	node --import=tsx test/e2e/rehearsal-demo.ts; bash test/setup/pcscd.sh stop
else ifeq ($(PCSC),1)
	bash test/setup/pcscd.sh start
	ANJUNGAN_MODE=pcsc-sim npm start --silent; bash test/setup/pcscd.sh stop
else
	ANJUNGAN_MODE=demo npm start --silent
endif

# Several kiosks, one User ID: PostgreSQL in a temporary folder, two fleet instances behind
# https://127.0.0.1:8443 and three demo kiosks on http://127.0.0.1:8081-8083 sharing one quota.
fleet-demo: build
	node --import=tsx fleet/demo/run.ts

# The booted tests' Debian base tree (minutes the first time, cached after): built before the
# tests run so no test file waits on it.
appliance-base: system-deps
	@if [ "$$(id -u)" = 0 ]; then bash image/build-rootfs-base.sh $(ARCH) $(CACHE_DIR) >/dev/null; fi

# The reader power relay and pcscd restart tests stop and restart pcscd: they run alone, after the
# parallel suite.
test: build typecheck appliance-base
	bash test/setup/pcscd.sh start
	npx tap; rc=$$?; \
	if [ $$rc = 0 ]; then npx tap --jobs=1 test/gpio/reader-relay.pcscd.ts test/card/pcscd-restart.pcscd.ts; rc=$$?; fi; \
	bash test/setup/pcscd.sh stop; exit $$rc

bench: build
	bash test/setup/pcscd.sh start
	npm run -s bench; rc=$$?; bash test/setup/pcscd.sh stop; exit $$rc

# FORMAT=rootfs: the appliance's root file system as a folder (host architecture): the cached
# Debian trixie base with the built app and the units of systemd/ installed.
# FORMAT=img: the partitioned, compressed SD-card image with its SHA-256 and package manifest in
# image/out/. ARCH=arm64 (make image-arm64) is the Raspberry Pi 4 image.
ARCH ?= $(shell dpkg --print-architecture)
FORMAT ?= img
image: build
ifeq ($(FORMAT),rootfs)
	bash image/build-rootfs.sh $(ARCH) image/out/rootfs-$(ARCH) $(CACHE_DIR)
else ifeq ($(FORMAT),img)
ifeq ($(ARCH),arm64)
	bash image/build-image-arm64.sh image/out $(CACHE_DIR)
else
	bash image/build-image.sh $(ARCH) image/out $(CACHE_DIR)
endif
else
	@echo "make image FORMAT=$(FORMAT): FORMAT is rootfs or img" >&2; exit 2
endif

# The Raspberry Pi 4 image: Debian arm64 built under qemu-user emulation (slow: see docs/appliance.md),
# then booted once under qemu-system-aarch64 (image-boot-arm64): a build whose image does not come up
# as a kiosk fails.
image-arm64: APT_PACKAGES += qemu-user-static binfmt-support arch-test
image-arm64: build
	$(MAKE) image ARCH=arm64 FORMAT=img
	$(MAKE) image-boot-arm64

# The signed update (RAUC bundle, verity format) of the image's release, made with the image,
# in image/out/bundles/ (docs/updates.md): ANJUNGAN_SIGNING_CERT and ANJUNGAN_SIGNING_KEY are the
# technician's release signer, ANJUNGAN_UPDATE_KEYRING the CA certificate the image trusts
# (image/rauc/signing-keys.sh makes them). ARCH=arm64 for the Raspberry Pi 4.
bundle:
	@if [ -z "$$ANJUNGAN_SIGNING_CERT" ] || [ -z "$$ANJUNGAN_SIGNING_KEY" ] || [ -z "$$ANJUNGAN_UPDATE_KEYRING" ]; then \
	  echo "make bundle: set ANJUNGAN_SIGNING_CERT, ANJUNGAN_SIGNING_KEY and ANJUNGAN_UPDATE_KEYRING (docs/updates.md)" >&2; exit 2; fi
ifeq ($(ARCH),arm64)
	$(MAKE) image-arm64
else
	$(MAKE) image FORMAT=img
endif

# The arm64 image booted under qemu-system-aarch64 -M virt (its own kernel, no Pi firmware), once
# per image build: multi-user.target, the daemon not provisioned, networkd, timesyncd, firewall.
image-boot-arm64: APT_PACKAGES += qemu-system-arm
image-boot-arm64: system-deps
	bash image/boot-arm64.sh image/out/anjungan-arm64.img image/out

clean:
	rm -rf dist .tap state test-artifacts
