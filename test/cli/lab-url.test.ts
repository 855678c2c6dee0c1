/** The desktop lab window shows the lab page on loopback and nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labOrigin } from '../../electron/lab-url.ts';

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
});
