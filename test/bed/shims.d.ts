// Minimal types for ssh2-sftp-client (it ships none): only what the bed helpers and tests use.
declare module 'ssh2-sftp-client' {
  import type { Readable, Writable } from 'node:stream';

  export interface ConnectOptions {
    host: string;
    port: number;
    username: string;
    password?: string;
    privateKey?: string | Buffer;
    readyTimeout?: number;
    hostVerifier?: (key: Buffer) => boolean;
    [option: string]: unknown;
  }

  export interface FileInfo {
    type: 'd' | '-' | 'l';
    name: string;
    size: number;
    modifyTime: number;
    accessTime: number;
    rights: { user: string; group: string; other: string };
    owner: number;
    group: number;
  }

  export default class SftpClient {
    constructor(name?: string, callbacks?: { error?: (err: Error) => void; end?: () => void; close?: () => void });
    connect(options: ConnectOptions): Promise<unknown>;
    end(): Promise<boolean>;
    list(remotePath: string): Promise<FileInfo[]>;
    exists(remotePath: string): Promise<false | 'd' | '-' | 'l'>;
    stat(remotePath: string): Promise<{ size: number; mode: number; uid: number; gid: number; isDirectory: boolean }>;
    get(remotePath: string, dst?: string | Writable): Promise<string | Writable | Buffer>;
    put(src: string | Buffer | Readable, remotePath: string): Promise<string>;
    mkdir(remotePath: string, recursive?: boolean): Promise<string>;
    rmdir(remotePath: string, recursive?: boolean): Promise<string>;
    delete(remotePath: string, notFoundOK?: boolean): Promise<string>;
    rename(from: string, to: string): Promise<string>;
    chmod(remotePath: string, mode: number | string): Promise<string>;
    realPath(remotePath: string): Promise<string>;
  }
}

// Minimal types for ssh2 (the panel does not depend on it directly and @types/ssh2 is not installed):
// only what the access tests' SSH client uses (plugins/access/test/ssh-client.ts).
declare module 'ssh2' {
  import { EventEmitter } from 'node:events';
  import type { Duplex, Readable } from 'node:stream';

  export interface ConnectConfig {
    host?: string;
    port?: number;
    username?: string;
    password?: string;
    privateKey?: string | Buffer;
    readyTimeout?: number;
    tryKeyboard?: boolean;
    hostVerifier?: (key: Buffer) => boolean;
  }

  /** An exec session: stdout as the stream itself, stderr beside it; emits `exit` (code, signal). */
  export interface ClientChannel extends Duplex {
    stderr: Readable;
  }

  export interface SFTPWrapper extends EventEmitter {
    realpath(path: string, cb: (err: Error | undefined, absPath: string) => void): void;
    stat(path: string, cb: (err: Error | undefined, stats: { mode: number; size: number }) => void): void;
    writeFile(path: string, data: string | Buffer, cb: (err: Error | undefined) => void): void;
  }

  export class Client extends EventEmitter {
    connect(config: ConnectConfig): this;
    exec(command: string, cb: (err: Error | undefined, channel: ClientChannel) => void): this;
    sftp(cb: (err: Error | undefined, sftp: SFTPWrapper) => void): this;
    end(): this;
  }
}
