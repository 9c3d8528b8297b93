/**
 * Names no hosting account may take, whether or not a user or group of that name exists on this
 * server today: an account's username becomes a system user and group, and a package installed
 * later (docker, lxd, libvirt…) reuses an existing group of its name — handing that tenant the
 * group's power. The README lists these; keep it in step.
 */

/**
 * Groups and users that grant root or root-equivalent power, or raw access to devices, logs,
 * secrets, containers or virtual machines (Debian, Ubuntu, RHEL and Alpine names).
 */
export const PRIVILEGED_SYSTEM_NAMES: ReadonlySet<string> = new Set([
  // root and administrators
  'root', 'toor', 'sudo', 'sudoers', 'wheel', 'admin', 'admins', 'adm', 'sysadmin', 'staff', 'operator', 'src',
  // containers and virtual machines: membership is root on the host
  'docker', 'dockerroot', 'podman', 'containerd', 'lxd', 'lxc', 'incus', 'incusadmin', 'kvm', 'libvirt', 'libvirtd',
  'libvirtdbus', 'qemu', 'microk8s', 'kube', 'k8s', 'vboxusers', 'vboxsf',
  // secrets, raw disks and memory, terminals and logs
  'shadow', 'disk', 'kmem', 'mem', 'tty', 'utmp', 'systemd', 'journal', 'audit', 'auditd', 'crontab', 'ssh', 'sshd',
  'certusers', 'tss', 'sgx', 'ssl',
  // devices
  'input', 'video', 'render', 'i2c', 'audio', 'dialout', 'uucp', 'cdrom', 'floppy', 'tape', 'plugdev', 'netdev', 'lpadmin',
  'scanner', 'bluetooth', 'wireshark', 'pcap', 'tcpdump', 'rdma', 'gpio', 'spi', 'dip', 'sambashare',
  // base system accounts
  'daemon', 'bin', 'sys', 'sync', 'games', 'man', 'lp', 'mail', 'news', 'proxy', 'backup', 'list', 'irc', 'gnats',
  'nobody', 'nogroup', 'users', 'polkitd', 'messagebus', 'dbus',
]);

/** Service accounts, the panel's own names, and role or mailbox names that would mislead. */
export const SERVICE_AND_ROLE_NAMES: ReadonlySet<string> = new Set([
  'administrator', 'mysql', 'mariadb', 'postgres', 'postgresql', 'nginx', 'apache', 'httpd', 'www', 'wwwdata', 'ftp',
  'velopanel', 'veloserve', 'redis', 'memcache', 'memcached', 'git', 'php', 'phpfpm', 'phpmyadmin', 'postfix', 'postdrop',
  'dovecot', 'exim', 'named', 'bind', 'ntp', 'chrony', 'support', 'webmaster', 'hostmaster', 'postmaster', 'abuse',
  'info', 'localhost', 'panel', 'system', 'reseller', 'user', 'guest', 'test', 'avahi', 'dnsmasq', 'pebble', 'caddy',
  'acme',
]);

/** Why `name` is reserved (for the 400), or null when it is not. */
export function reservedReason(name: string): string | null {
  if (PRIVILEGED_SYSTEM_NAMES.has(name)) return 'a privileged system group or user name';
  if (SERVICE_AND_ROLE_NAMES.has(name)) return "a service's or the panel's own name";
  return null;
}
