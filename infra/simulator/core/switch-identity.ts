// Who the simulated FreeSWITCH says it is: the constant part of every event's common block.

/** Identity headers; Core-UUID is constant for the process lifetime. */
export interface SwitchIdentity {
  coreUuid: string;
  hostname: string;
  switchname: string;
  ipv4: string;
  ipv6: string;
  /** Zone of Event-Date-Local and *_stamp variables, minutes east of UTC. */
  utcOffsetMinutes: number;
  version: string;
}

export const DEFAULT_IDENTITY: Omit<SwitchIdentity, 'coreUuid'> = {
  hostname: 'fs-sim',
  switchname: 'fs-sim',
  ipv4: '10.0.0.5',
  ipv6: '::1',
  utcOffsetMinutes: 0,
  version: '1.10.12-release~64bit',
};
