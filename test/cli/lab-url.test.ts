/** The desktop lab window shows the lab page on loopback and nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labOrigin, labToken } from '../../electron/lab-url.ts';

describe('the lab window\'s --url', () => {
  it('takes the lab page on a loopback address, as npm run demo prints it', () => {
    assert.equal(labOrigin(['--url', 'http://127.0.0.1:7780/']), 'http://127.0.0.1:7780');
    assert.equal(labOrigin(['--url=http://localhost:41234/']), 'http://localhost:41234');
  });

  it('refuses anything else', () => {
    for (const url of ['https://127.0.0.1:7780/', 'http://example.com:7780/', 'http://10.0.0.1:7780/', 'http://127.0.0.1/', 'http://user@127.0.0.1:7780/', 'file:///etc/passwd', 'nonsense']) {
      assert.equal(labOrigin(['--url', url]), null, url);
    }
    assert.equal(labOrigin([]), null);
  });

  it('takes the run\'s action token from the environment, in the shape the lab makes, and nothing else', () => {
    const token = '0123456789abcdef0123456789abcdef';
    assert.equal(labToken({ CONCLAVE_LAB_TOKEN: token }), token);
    for (const bad of [undefined, '', token.slice(1), `${token}#x`, `${token.slice(0, -1)}"`, token.toUpperCase()]) {
      assert.equal(labToken({ CONCLAVE_LAB_TOKEN: bad }), null, String(bad));
    }
  });
});
