#!/usr/bin/env node
// Idempotent machine set-up for pullstorm on Debian (as root): installs the Debian packages of
// harness/doctor/requirements.ts that are missing and starts dockerd if no engine answers.
// Elsewhere (not root, not Debian) it installs nothing and says what is missing and what that disables.
import { existsSync } from 'node:fs';
import { $ } from 'zx';
import { REQUIREMENTS } from '../harness/doctor/requirements.ts';

$.verbose = false;
$.quiet = true;
const log = (msg) => process.stderr.write(`setup: ${msg}\n`);

const isRoot = process.getuid?.() === 0;
const isDebian = existsSync('/etc/debian_version');

async function has(bin) {
  return (await $`command -v ${bin}`.nothrow()).exitCode === 0;
}

const missing = [];
for (const req of REQUIREMENTS) if (req.apt && !(await has(req.bin))) missing.push(req);

if (missing.length > 0 && isRoot && isDebian) {
  const pkgs = [...new Set(missing.map((r) => r.apt))];
  log(`installing ${pkgs.join(' ')} with apt-get`);
  await $`apt-get update -qq`;
  await $({
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })`apt-get install -y -qq --no-install-recommends ${pkgs}`;
} else {
  for (const r of missing) log(`missing ${r.bin}: ${r.disables}. Install it with: apt-get install ${r.apt}`);
}

// dockerd: start it ourselves when no engine answers (there is no systemd on CI machines).
if ((await has('dockerd')) && (await $`docker info`.nothrow()).exitCode !== 0) {
  if (isRoot) {
    log('starting dockerd (log: /var/log/pullstorm-dockerd.log)');
    await $`sh -c ${'nohup dockerd >/var/log/pullstorm-dockerd.log 2>&1 &'}`;
    const deadline = Date.now() + 60_000;
    while ((await $`docker info`.nothrow()).exitCode !== 0) {
      if (Date.now() > deadline) {
        throw new Error('dockerd did not answer within 60 s; see /var/log/pullstorm-dockerd.log');
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } else {
    log('Docker engine not running and not root: the stub container and the Docker tests are disabled');
  }
}

const still = [];
for (const req of REQUIREMENTS) if (req.apt && !(await has(req.bin))) still.push(req.bin);
log(still.length === 0 ? 'ready' : `not available: ${still.join(', ')}`);
