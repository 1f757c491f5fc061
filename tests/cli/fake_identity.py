#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Build a fake libvirt / machined / cgroup layout for simulated TDs, as
the real daemons write it, under ROOT (TDXHP_ROOT=ROOT points the tools
at it), and print what each TD's identity must then be, as JSON.

    fake_identity.py ROOT < tdxhp-hist -j output

TDs with a pid take turns at three setups, so every path of the resolver
is used: 0 a libvirt domain registered with machined (status XML, pid
file, machine state file, unit: link); 1 a libvirt domain on a host
without machined; 2 QEMU started by hand in a systemd service, with -uuid
and a machine registered by leader only (no unit: link).
"""
import json
import os
import sys
import uuid

NS = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")


def unit_escape(s):
    """systemd's unit name escaping of a machine name (as in the scope)."""
    out = ""
    for c in s:
        if c.isalnum() or c in ":_.":
            out += c
        else:
            out += "\\x%02x" % ord(c)
    return out


def put(root, rel, data, mode="w"):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def status_xml(name, u, pid, dom_id):
    return f"""<domstatus state='running' reason='booted' pid='{pid}'>
  <monitor path='/var/lib/libvirt/qemu/domain-{dom_id}-{name}/monitor.sock' type='unix'/>
  <vcpus>
    <vcpu id='0' pid='{pid + 100000}'/>
  </vcpus>
  <qemuCaps>
    <flag name='kvm'/>
    <flag name='tdx-guest'/>
  </qemuCaps>
  <libDir path='/var/lib/libvirt/qemu/domain-{dom_id}-{name}'/>
  <domain type='kvm' id='{dom_id}'>
    <name>{name}</name>
    <uuid>{u}</uuid>
    <memory unit='KiB'>4194304</memory>
    <resource>
      <partition>/machine</partition>
    </resource>
    <launchSecurity type='tdx'>
      <policy>0x10000000</policy>
    </launchSecurity>
  </domain>
</domstatus>
"""


def machine_state(machine, scope, u, pid):
    esc = scope.replace("\\", "\\\\")
    return (f"# This is private data. Do not parse.\nNAME={machine}\nUID=0\n"
            f"SCOPE=\"{esc}\"\nSERVICE=libvirt-qemu\nROOT=/\n"
            f"ID={u.replace('-', '')}\nLEADER={pid}\nCLASS=vm\n"
            f"REALTIME=1764661698123456\nMONOTONIC=91234567890\n")


def main():
    root = sys.argv[1]
    report = json.load(sys.stdin)
    # Each TD is {"td": {"name", "pid", ...}, ...} (docs/vocabulary.md).
    tds = sorted((t["td"] for t in report["tds"] if t["td"].get("pid")),
                 key=lambda t: t["pid"])
    want = {}
    for i, t in enumerate(tds):
        name, pid, dom_id = t["name"], t["pid"], i + 1
        u = str(uuid.uuid5(NS, name))
        machine = f"qemu-{dom_id}-{name}"
        style = i % 3
        cmd = ["/usr/bin/qemu-system-x86_64", "-name",
               f"guest={name},debug-threads=on", "-S"]
        if style == 2:
            cmd = ["qemu-system-x86_64", "-name", name, "-uuid", u.upper()]
        put(root, f"proc/{pid}/cmdline", "\0".join(cmd) + "\0")
        if style == 2:
            cgroup = f"/system.slice/qemu-{name}.service"
        else:
            scope = f"machine-{unit_escape(machine)}.scope"
            cgroup = f"/machine.slice/{scope}/libvirt/emulator"
        put(root, f"proc/{pid}/cgroup", f"0::{cgroup}\n")
        if style in (0, 1):
            put(root, f"run/libvirt/qemu/{name}.xml", status_xml(name, u, pid, dom_id))
            put(root, f"run/libvirt/qemu/{name}.pid", str(pid))
        if style == 0:
            put(root, f"run/systemd/machines/{machine}",
                machine_state(machine, scope, u, pid))
            link = os.path.join(root, f"run/systemd/machines/unit:{scope}")
            if not os.path.islink(link):
                os.symlink(machine, link)
        if style == 2:
            machine = f"qemu-{name}"
            put(root, f"run/systemd/machines/{machine}",
                f"NAME={machine}\nLEADER={pid}\nCLASS=vm\n")
        want[name] = {"uuid": u, "machine": machine if style != 1 else "",
                      "cgroup": cgroup, "pid": pid}
    os.makedirs(os.path.join(root, "run/systemd/machines"), exist_ok=True)
    json.dump(want, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
