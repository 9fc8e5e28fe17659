/** Bench images: thumbnails shaped like Hugging Face's social thumbnails. */
import sharp from 'sharp';

/** A page-like 1200 × 648 PNG (title, lines of text, a figure), as HF's social thumbnails look. */
export async function socialImage(i: number): Promise<Buffer> {
  const lines = Array.from(
    { length: 18 },
    (_, k) =>
      `<text x="80" y="${230 + k * 22}" font-size="15" fill="#333">${'Lorem ipsum dolor sit amet consectetur '.repeat(2).slice(0, 40 + ((i * 7 + k * 13) % 30))}</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="648"><rect width="1200" height="648" fill="#fff"/><text x="80" y="120" font-size="44" font-weight="bold" fill="#111">Paper ${i}: a title over two lines of</text><text x="80" y="175" font-size="44" font-weight="bold" fill="#111">large bold type, as on HF</text>${lines}<rect x="760" y="230" width="360" height="300" fill="hsl(${(i * 47) % 360},60%,70%)"/><circle cx="940" cy="380" r="${60 + (i % 5) * 10}" fill="hsl(${(i * 91) % 360},70%,45%)"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
