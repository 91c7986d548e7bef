// What the other log lines may say about a person: an address shortened to its network, and no
// email address (an SMTP server's answer often quotes the recipient).

/**
 * An IPv4 address without its last octet (203.0.113.0), an IPv6 address cut to its /48 network:
 * enough to see that many requests come from one network, not enough to name a household.
 */
export function anonymiseAddress(address: string): string {
	const v4 = /^(?:::ffff:)?(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/i.exec(address);
	if (v4) return `${v4[1]}.0`;
	if (!address.includes(':')) return 'unknown';
	const [head = '', tail = ''] = address.split('::');
	const groups = [...head.split(':').filter(Boolean), ...(tail ? Array(8).fill('0') : [])].slice(0, 3);
	while (groups.length < 3) groups.push('0');
	return `${groups.join(':')}::/48`;
}

/** Replaces every email address in `text` (an SMTP error, a driver's message) by `<email>`. */
export function withoutEmails(text: string): string {
	return text.replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+\.[^\s<>"'(),;:@]+/g, '<email>');
}
