import { describe, expect, it } from 'vitest';
import { buildOrg, engine, openTestDatabase, testApp } from '../test/harness.js';
import { startEventRelay, transact, type App } from './context.js';
import { EventBus, type DomainEvent } from './events.js';

describe('events', () => {
  it('reach subscribers after the commit, and never when the transaction rolls back', async () => {
    const org = await buildOrg();
    const seen: DomainEvent[] = [];
    const off = org.app.bus.subscribe('test.happened', (e) => void (e.orgId === org.orgId && seen.push(e)));
    await transact(org.system, async (t) => {
      await t.emit('test.happened', { entityType: 'thing', entityId: '1' });
      expect(seen).toHaveLength(0); // not before the commit
    });
    await org.app.bus.drain();
    expect(seen.map((e) => e.entityId)).toEqual(['1']);
    await expect(
      transact(org.system, async (t) => {
        await t.emit('test.happened', { entityType: 'thing', entityId: '2' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await org.app.bus.drain();
    expect(seen.map((e) => e.entityId)).toEqual(['1']);
    off();
  });

  it('a failing subscriber does not affect the writer or other subscribers', async () => {
    const errors: unknown[] = [];
    const bus = new EventBus((e) => errors.push(e));
    const got: string[] = [];
    bus.subscribe('*', () => {
      throw new Error('boom');
    });
    bus.subscribe('x', (e) => void got.push(e.id));
    bus.publish({ id: 'e1', type: 'x', orgId: 'o', at: '', actorId: null });
    await bus.drain();
    expect(got).toEqual(['e1']);
    expect(errors).toHaveLength(1);
  });

  it.runIf(engine === 'postgres')('fan out to other app nodes through LISTEN/NOTIFY', async () => {
    const first = await testApp();
    const org = await buildOrg(first);
    const otherDb = await openTestDatabase();
    const other: App = { ...first, database: otherDb, bus: new EventBus(), nodeId: 'other-node' };
    const stop = await startEventRelay(other);
    const received = new Promise<DomainEvent>((resolve) => other.bus.subscribe('test.fanout', (e) => resolve(e)));
    const local: DomainEvent[] = [];
    first.bus.subscribe('test.fanout', (e) => void local.push(e));
    const selfRelay = await startEventRelay(first);
    await transact(org.system, (t) => t.emit('test.fanout', { entityId: 'n1' }));
    const event = await received;
    expect(event).toMatchObject({ type: 'test.fanout', orgId: org.orgId, entityId: 'n1' });
    await new Promise((r) => setTimeout(r, 200));
    await first.bus.drain();
    expect(local).toHaveLength(1); // delivered locally once, not again through its own NOTIFY
    await selfRelay();
    await stop();
    await otherDb.close();
  });
});
