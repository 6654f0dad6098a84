import { describe, expect, it } from 'vitest';
import { checkUploadType, contentKind } from './file-types.js';

const file = (fileName: string, mediaType: string, content: Buffer | string) => ({
  fileName,
  mediaType,
  content: Buffer.isBuffer(content) ? content : Buffer.from(content),
});

describe('checkUploadType', () => {
  it('keeps a declared type the content confirms', () => {
    expect(checkUploadType(file('r.pdf', 'application/pdf', '%PDF-1.7 report'))).toEqual({
      mediaType: 'application/pdf',
    });
    expect(checkUploadType(file('t.csv', 'text/csv; charset=utf-8', 'person,course\nada,x\n'))).toEqual({
      mediaType: 'text/csv',
    });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    expect(checkUploadType(file('s.png', 'image/png', png))).toEqual({ mediaType: 'image/png' });
  });

  it('refuses content that contradicts the declared type, naming both', () => {
    const executable = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]);
    expect(checkUploadType(file('report.pdf', 'application/pdf', executable))).toEqual({
      refused: expect.stringContaining('report.pdf: the content is none of the accepted kinds'),
    });
    expect(checkUploadType(file('report.pdf', 'application/pdf', 'plain words'))).toEqual({
      refused: 'report.pdf: declared as application/pdf, but the content is UTF-8 text',
    });
    expect(checkUploadType(file('a.json', 'application/json', '{"a":'))).toEqual({
      refused: 'a.json: declared as application/json, but the content is not JSON',
    });
    expect(checkUploadType(file('page.html', 'text/html', '<script>alert(1)</script>'))).toEqual({
      refused: expect.stringContaining('files of type text/html are not accepted'),
    });
  });

  it('names an undeclared upload by its content (and a text file by its extension)', () => {
    expect(checkUploadType(file('x.bin', 'application/octet-stream', '%PDF-1.4'))).toEqual({
      mediaType: 'application/pdf',
    });
    expect(checkUploadType(file('model.yml', '', 'a: 1\n'))).toEqual({ mediaType: 'application/yaml' });
    expect(contentKind(Buffer.from([0xff, 0xfe, 0x00, 0x41]))).toBeUndefined();
  });
});
