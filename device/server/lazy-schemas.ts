/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for replies), each route's
 * schema compiled when the route is first used instead of when the server gets ready. Compiling
 * every route's schemas was the largest part of the daemon's start (#25): most staff routes are
 * used on few days, and the kiosk must show its screen before. What is compiled, with which
 * options, and what a request or reply meets, are Fastify's defaults unchanged; only the moment
 * differs (a schema Fastify could not compile now fails its route's first request, not the start).
 */
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type Validate = ((data: unknown, ctx?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };

/** A fresh pair per server, as Fastify makes for a server without its own compilers. */
export function lazySchemaCompilers(): { buildValidator: ValidatorFactory; buildSerializer: SerializerFactory } {
  const ajv = AjvCompiler();
  const fjs = SerializerSelector();
  const buildValidator: ValidatorFactory = (externalSchemas, options) => {
    // The Ajv instance too is made at the first validation: making it loads its meta-schemas.
    let compiler: ReturnType<ValidatorFactory> | undefined;
    return (route) => {
      let real: Validate | undefined;
      const compiled = (): Validate => (real ??= (compiler ??= ajv(externalSchemas, options))(route) as Validate);
      const validate: Validate = (data, ctx) => (ctx === undefined ? compiled()(data) : compiled()(data, ctx));
      // Fastify reads both after (or, for schemaEnv, before) calling the function it was given.
      Object.defineProperty(validate, 'errors', { get: () => compiled().errors });
      Object.defineProperty(validate, 'schemaEnv', { get: () => compiled().schemaEnv });
      return validate as unknown as ReturnType<ReturnType<ValidatorFactory>>;
    };
  };
  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    let compiler: ReturnType<SerializerFactory> | undefined;
    return (route) => {
      let real: ((data: unknown) => string) | undefined;
      return (data: unknown) => (real ??= (compiler ??= fjs(externalSchemas, options))(route))(data);
    };
  };
  return { buildValidator, buildSerializer };
}
