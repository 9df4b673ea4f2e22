/** The embedded data folder: a lock held by the running server, backups and restores. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import * as tar from 'tar';
import { AppError } from '../core/errors.js';

const LOCK_FILE = 'pledge.pid';
const BACKUP_FORMAT = 'pledge-backup';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a running Pledge using this data folder, if any. */
export function lockHolder(dataDir: string): number | null {
  const file = path.join(dataDir, LOCK_FILE);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
}

/** Marks the data folder as used by this process (PGlite must have one process per folder). */
export function acquireLock(dataDir: string): () => void {
  const holder = lockHolder(dataDir);
  if (holder) throw new AppError('backup.data_dir_in_use', { dir: dataDir, pid: holder });
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  writeFileSync(file, String(process.pid));
  return () => {
    if (existsSync(file) && readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
  };
}

interface Manifest {
  format: string;
  version: number;
  createdAt: string;
  includesSecret: boolean;
}

/**
 * Writes a backup of the embedded database as one file (a tar.gz holding the PGlite data folder and the
 * generated secret key, without which encrypted personal data could not be read back).
 */
export async function backup(dataDir: string, file: string): Promise<Manifest> {
  const holder = lockHolder(dataDir);
  if (holder) throw new AppError('backup.data_dir_in_use', { dir: dataDir, pid: holder });
  const pgdata = path.join(dataDir, 'pgdata');
  if (!existsSync(pgdata)) throw new AppError('backup.invalid_file', { reason: `no embedded database in ${dataDir}` });
  const work = await mkdtemp(path.join(os.tmpdir(), 'pledge-backup-'));
  try {
    const db = await PGlite.create(pgdata);
    const dump = await db.dumpDataDir('gzip');
    await db.close();
    await writeFile(path.join(work, 'pgdata.tar.gz'), Buffer.from(await dump.arrayBuffer()));
    const secret = path.join(dataDir, 'secret.key');
    const includesSecret = existsSync(secret);
    if (includesSecret) await copyFile(secret, path.join(work, 'secret.key'));
    const manifest: Manifest = { format: BACKUP_FORMAT, version: 1, createdAt: new Date().toISOString(), includesSecret };
    await writeFile(path.join(work, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const entries = ['manifest.json', 'pgdata.tar.gz', ...(includesSecret ? ['secret.key'] : [])];
    await tar.create({ gzip: true, file: path.resolve(file), cwd: work, portable: true }, entries);
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Restores a backup into an empty (or absent) data folder. */
export async function restore(file: string, dataDir: string): Promise<Manifest> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) throw new AppError('backup.data_dir_not_empty', { dir: dataDir });
  if (!existsSync(file)) throw new AppError('backup.invalid_file', { reason: `${file} does not exist` });
  const work = await mkdtemp(path.join(os.tmpdir(), 'pledge-restore-'));
  try {
    try {
      await tar.extract({ file, cwd: work, strict: true });
    } catch (error) {
      throw new AppError('backup.invalid_file', { reason: (error as Error).message });
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(path.join(work, 'manifest.json'), 'utf8')) as Manifest;
    } catch {
      throw new AppError('backup.invalid_file', { reason: 'manifest.json is missing' });
    }
    if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1) throw new AppError('backup.invalid_file', { reason: 'not a Pledge backup' });
    const dump = await readFile(path.join(work, 'pgdata.tar.gz'));
    mkdirSync(path.join(dataDir, 'pgdata'), { recursive: true });
    try {
      const db = await PGlite.create(path.join(dataDir, 'pgdata'), { loadDataDir: new Blob([dump]) });
      await db.query('SELECT 1');
      await db.close();
    } catch (error) {
      rmSync(path.join(dataDir, 'pgdata'), { recursive: true, force: true });
      throw new AppError('backup.invalid_file', { reason: (error as Error).message });
    }
    if (manifest.includesSecret) await copyFile(path.join(work, 'secret.key'), path.join(dataDir, 'secret.key'));
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
