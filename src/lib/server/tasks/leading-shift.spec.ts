import { describe, expect, it } from 'vitest';
import { leadingShift, type Shift, type Task } from './index';

const shift = (id: string, status: string): Shift => ({
	id, status, startsAt: new Date(`2027-01-0${id}T09:00:00Z`), endsAt: new Date(`2027-01-0${id}T12:00:00Z`), timeZone: 'Europe/Vienna',
	capacity: 4, confirmedCount: 0, seatsLeft: 4, registration: 'open'
});
const task = (shifts: Shift[]) => ({ shifts }) as Task;

describe('the shift a list shows for an Einsatz', () => {
	it('skips a cancelled first shift', () => {
		expect(leadingShift(task([shift('1', 'cancelled'), shift('2', 'published')]))?.id).toBe('2');
	});

	it('falls back to the first shift when all are cancelled, and to none without shifts', () => {
		expect(leadingShift(task([shift('1', 'cancelled'), shift('2', 'cancelled')]))?.id).toBe('1');
		expect(leadingShift(task([]))).toBeNull();
	});
});
