// An outbox row's input as the mail tests enqueue it: a reminder, one per key and recipient.

export function reminder(key: string, recipient: string) {
	return {
		idempotencyKey: key,
		recipient,
		locale: 'de' as const,
		template: 'event-reminder' as const,
		payload: {
			name: 'Maria Huber',
			event: {
				title: 'Gesprächsrunde',
				startsAt: '2027-05-08T16:00:00.000Z',
				endsAt: '2027-05-08T18:00:00.000Z',
				timeZone: 'Europe/Vienna',
				where: 'Stadtsaal Imst'
			},
			manageUrl: `https://miteinander.example/manage/${key}`,
			unsubscribeUrl: `https://miteinander.example/manage/${key}/unsubscribe`
		}
	};
}
