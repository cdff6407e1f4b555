import { urlFromLogLine } from '../../tools/lib/http-load';

describe('urlFromLogLine', () => {
  test('when the line is the service\'s "listening" log, then its url is returned', () => {
    expect(urlFromLogLine('{"level":30,"msg":"listening","url":"http://127.0.0.1:4321","port":4321}')).toBe('http://127.0.0.1:4321');
  });

  test('when the line is anything else, then undefined', () => {
    for (const line of ['', 'listening on 3000', '{"msg":"ready"}', '{"msg":"listening"}', '{broken']) {
      expect(urlFromLogLine(line)).toBeUndefined();
    }
  });
});
