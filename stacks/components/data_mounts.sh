#!/bin/sh
# exitplan: format (only if blank) and mount the data volumes listed in /etc/exitplan/data-mounts.
# Each line: LABEL SIZE_GIB MOUNT_POINT. SIZE_GIB 0 = a directory on the system disk.
# A disk is formatted only if it is a whole disk without partitions, file system or RAID/LVM
# signature and at least 95 % of SIZE_GIB; it gets LABEL, so later runs find it again by label.
# Exit status 1 while a volume is not attached yet (the systemd unit retries).
# EXITPLAN_DISKS="/dev/sdb /dev/sdc" restricts the candidates (default: every whole disk).
set -eu
conf=${EXITPLAN_DATA_MOUNTS:-/etc/exitplan/data-mounts}
fstab=${EXITPLAN_FSTAB:-/etc/fstab}
disks=${EXITPLAN_DISKS:-}

pick_disk() {
  need=$(($1 * 1073741824 / 100 * 95))
  # shellcheck disable=SC2086  # $disks is a list of device paths
  lsblk -dbnpo NAME,SIZE,TYPE $disks | while read -r name size type; do
    [ -n "$disks" ] || [ "$type" = disk ] || continue
    [ "$size" -ge "$need" ] || continue
    [ "$(lsblk -nro NAME "$name" | wc -l)" -eq 1 ] || continue
    [ -z "$(blkid -p -o value -s TYPE "$name" 2>/dev/null || true)" ] || continue
    [ -z "$(blkid -p -o value -s PTTYPE "$name" 2>/dev/null || true)" ] || continue
    echo "$size $name"
  done | sort -n | head -n 1 | cut -d' ' -f2
}

pending=0
while read -r label size_gib mount_point; do
  case "$label" in '' | '#'*) continue ;; esac
  mkdir -p "$mount_point"
  [ "$size_gib" -eq 0 ] && continue
  if mountpoint -q "$mount_point"; then continue; fi
  device=$(blkid -L "$label" 2>/dev/null || true)
  if [ -z "$device" ]; then
    device=$(pick_disk "$size_gib")
    if [ -z "$device" ]; then
      echo "exitplan-data-mounts: no blank disk of ${size_gib} GiB yet for $mount_point" >&2
      pending=1
      continue
    fi
    mkfs.ext4 -q -L "$label" "$device"
  fi
  grep -q "^LABEL=$label " "$fstab" 2>/dev/null \
    || echo "LABEL=$label $mount_point ext4 defaults,nofail 0 2" >>"$fstab"
  mount -t ext4 "$device" "$mount_point"
done <"$conf"
exit "$pending"
