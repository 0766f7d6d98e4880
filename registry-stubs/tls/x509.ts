/**
 * @peculiar/x509, loaded after the Reflect metadata subset it needs (see reflect-metadata.ts).
 * Every module here imports x509 from this file, never from the package, so the order holds
 * whichever module is loaded first.
 */
import './reflect-metadata.ts';

export * from '@peculiar/x509';
