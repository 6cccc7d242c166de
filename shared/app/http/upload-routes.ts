/** `/v1/uploads`: create an upload (a presigned PUT) and, on the local server, receive its bytes. */
import { Readable } from 'node:stream';
import { AuthenticationError } from '../../core/errors.js';
import type { AppDeps } from '../deps.js';
import type { Principal } from '../principal.js';
import { createUploadBody, UploadsService } from '../uploads.js';
import type { ApiRequest, Route, RoutedRequest } from './types.js';

function who(request: RoutedRequest): Principal {
  if (!request.principal) throw new AuthenticationError('Missing API key: send it in the X-API-Key header');
  return request.principal;
}

const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** The origin the client reached this API at (API Gateway sets Host and X-Forwarded-Proto; a local server, Host). */
function baseUrlOf(request: ApiRequest): string {
  const host = request.headers.host;
  const proto = request.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${proto}://${host !== undefined && HOST.test(host) ? host : 'localhost'}`;
}

export function uploadRoutes(deps: AppDeps): Route[] {
  const uploads = new UploadsService(deps);
  return [
    {
      method: 'POST',
      path: '/v1/uploads',
      summary:
        'Create an upload: PUT the file to `upload.url`, then name `ref` in an execution input as `{ "$object": ref }`',
      access: 'user',
      resource: 'upload',
      body: createUploadBody,
      success: 201,
      async handle(request) {
        const created = await uploads.create(who(request), request.body, baseUrlOf(request));
        return { status: 201, body: created };
      },
    },
    {
      method: 'PUT',
      path: '/v1/uploads/{token}',
      summary:
        'The bytes of an upload, on a server with a local object store (the URL is signed, like an S3 presigned URL)',
      // The signed token in the URL is the credential, as with S3: the client needs no API key here.
      access: 'public',
      resource: 'upload',
      secretParams: ['token'],
      rawBody: { maxBytes: deps.settings.maxObjectBytes },
      async handle(request) {
        // The handler hands a raw-body route its body as a stream, unread.
        const body = request.body instanceof Readable ? request.body : Buffer.alloc(0);
        const length = Number(request.headers['content-length']);
        const stored = await uploads.receive(
          request.params.token ?? '',
          body,
          Number.isSafeInteger(length) && length >= 0 ? length : undefined,
        );
        return { status: 200, body: { ref: stored.ref, key: stored.key, size: stored.size } };
      },
    },
  ];
}
