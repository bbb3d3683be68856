export type Colour = 'blue' | 'green';
export type ServiceHealth = 'healthy' | 'unhealthy' | 'starting' | 'stopped' | 'unknown';

/** One colour of one service: a container on a node (seed 003's `nmpi-blue`). */
export interface ServiceInstance {
  env: string;
  service: string;
  colour: Colour;
  node: string;
  image: string;
  version: string;
  status: string;
  health: ServiceHealth;
  live: boolean; // the router sends traffic here
  ports: string;
  startedAt?: Date;
}
