import { listeningFromLogLine } from '../../tools/lib/http-load';

describe('listeningFromLogLine', () => {
  test('when the line is the service\'s "listening" log, then its url and metrics URL are returned', () => {
    expect(listeningFromLogLine('{"level":30,"msg":"listening","url":"http://127.0.0.1:4321","port":4321,"metricsPort":9464}')).toEqual({
      url: 'http://127.0.0.1:4321',
      metricsUrl: 'http://127.0.0.1:9464/metrics',
    });
  });

  test('when a command logs no metricsPort (the bare-Express baseline), then only its url', () => {
    expect(listeningFromLogLine('{"msg":"listening","url":"http://127.0.0.1:4321"}')).toEqual({
      url: 'http://127.0.0.1:4321',
      metricsUrl: undefined,
    });
  });

  test('when the line is anything else, then undefined', () => {
    for (const line of ['', 'listening on 3000', '{"msg":"ready"}', '{"msg":"listening"}', '{broken']) {
      expect(listeningFromLogLine(line)).toBeUndefined();
    }
  });
});
