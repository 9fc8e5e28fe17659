/** The bundled demo day, on its own so that `hotpapers --help` can name it without loading the demo. */
export const DEMO_DAY = '2021-06-09';
export const DEMO_NOW = '2021-06-10T18:07:48Z';
