/**
 * The WebAssembly SIMD form of the scoring kernel, assembled here byte by byte so that the
 * committed score-kernel.wasm is reproducible from this file with nothing but Node (a unit test
 * checks that the two agree and rewrites the file on request).
 *
 * Exported function `score(rows, columns, out, rowMax, rowCount, columnCount, kp)`, pointers in
 * bytes into the imported memory `env.memory`:
 *   out[r * columnCount + c] = Σ_f rows[r * kp + f] · columns[c * kp + f]   (float32)
 *   rowMax[r] = max_c out[r * columnCount + c]
 * for r < rowCount (even) and c < columnCount (a multiple of 4), with kp a multiple of 4. The
 * row maximum lets a caller skip a row whose best score cannot enter its top-N.
 *
 * Two rows by four columns per tile: eight f32x4 accumulators, each holding four interleaved
 * partial sums along the factors (lane l sums the factors f ≡ l mod 4, in order), reduced as
 * (l0 + l1) + (l2 + l3). The order depends only on f, never on the tile, so a · b = b · a.
 */

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, ...unsigned(local)],
  set: (local: number) => [0x21, ...unsigned(local)],
  tee: (local: number) => [0x22, ...unsigned(local)],
  i32: (value: number) => [0x41, ...signed(value)],
  add: [0x6a],
  mul: [0x6c],
  geU: [0x4f],
  ltU: [0x49],
  // SIMD opcodes carry the 0xfd prefix; memarg is (log2 alignment, offset).
  load: [0xfd, 0x00, 0x00, 0x00],
  zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  mulF32x4: [0xfd, 0xe6, 0x01],
  addF32x4: [0xfd, 0xe4, 0x01],
  lane: (lane: number) => [0xfd, 0x1f, lane],
  addF32: [0x92],
  maxF32: [0x97],
  minusInfinity: [0x43, 0x00, 0x00, 0x80, 0xff],
  storeF32: (offset: number) => [0x38, 0x02, ...unsigned(offset)],
};

// Locals: the seven parameters, then scalar, vector and float working variables.
const ROWS = 0;
const COLUMNS = 1;
const OUT = 2;
const ROW_MAX = 3;
const ROW_COUNT = 4;
const COLUMN_COUNT = 5;
const KP = 6;
const R = 7;
const C = 8;
const F = 9;
const ROW_BYTES = 10;
const ROW_0 = 11; // and ROW_0 + 1: the two rows of the tile
const COLUMN_0 = 13; // to COLUMN_0 + 3: the four columns of the tile
const OUT_0 = 17; // and OUT_0 + 1: the two output rows
const ACC = 19; // ACC + 4i + j: row i, column j
const X = 27; // and X + 1: the two row slices
const Y = 29;
const SUM = 30;
const MAX_0 = 31; // and MAX_0 + 1: the running maxima of the two rows
const PARAMETERS = 7;
const SCALAR_LOCALS = 12;
const VECTOR_LOCALS = 11;
const FLOAT_LOCALS = 3;

/** The bytes of the kernel module. */
export function scoreKernelWasm(): Uint8Array {
  const body: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) body.push(...part);
  };

  emit(op.get(KP), op.i32(4), op.mul, op.set(ROW_BYTES));
  emit(op.i32(0), op.set(R), op.block, op.loop);
  emit(op.get(R), op.get(ROW_COUNT), op.geU, op.brIf(1));
  emit(op.get(ROWS), op.get(R), op.get(ROW_BYTES), op.mul, op.add, op.set(ROW_0));
  emit(op.get(ROW_0), op.get(ROW_BYTES), op.add, op.set(ROW_0 + 1));
  emit(op.get(OUT), op.get(R), op.get(COLUMN_COUNT), op.mul, op.i32(4), op.mul, op.add);
  emit(op.set(OUT_0), op.get(OUT_0), op.get(COLUMN_COUNT), op.i32(4), op.mul, op.add);
  emit(op.set(OUT_0 + 1));
  emit(op.minusInfinity, op.set(MAX_0), op.minusInfinity, op.set(MAX_0 + 1));

  emit(op.i32(0), op.set(C), op.block, op.loop);
  emit(op.get(C), op.get(COLUMN_COUNT), op.geU, op.brIf(1));
  emit(op.get(COLUMNS), op.get(C), op.get(ROW_BYTES), op.mul, op.add, op.set(COLUMN_0));
  for (let j = 1; j < 4; j++) {
    emit(op.get(COLUMN_0 + j - 1), op.get(ROW_BYTES), op.add, op.set(COLUMN_0 + j));
  }
  for (let a = 0; a < 8; a++) emit(op.zero, op.set(ACC + a));

  emit(op.i32(0), op.set(F), op.loop);
  for (let i = 0; i < 2; i++) emit(op.get(ROW_0 + i), op.get(F), op.add, op.load, op.set(X + i));
  for (let j = 0; j < 4; j++) {
    emit(op.get(COLUMN_0 + j), op.get(F), op.add, op.load, op.set(Y));
    for (let i = 0; i < 2; i++) {
      const acc = ACC + 4 * i + j;
      emit(op.get(acc), op.get(X + i), op.get(Y), op.mulF32x4, op.addF32x4, op.set(acc));
    }
  }
  emit(op.get(F), op.i32(16), op.add, op.tee(F), op.get(ROW_BYTES), op.ltU, op.brIf(0), op.end);

  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 4; j++) {
      const acc = ACC + 4 * i + j;
      emit(op.get(OUT_0 + i), op.get(C), op.i32(4), op.mul, op.add);
      emit(op.get(acc), op.lane(0), op.get(acc), op.lane(1), op.addF32);
      emit(op.get(acc), op.lane(2), op.get(acc), op.lane(3), op.addF32, op.addF32);
      emit(op.tee(SUM), op.storeF32(4 * j));
      emit(op.get(MAX_0 + i), op.get(SUM), op.maxF32, op.set(MAX_0 + i));
    }
  }
  emit(op.get(C), op.i32(4), op.add, op.set(C), op.br(0), op.end, op.end);
  for (let i = 0; i < 2; i++) {
    emit(op.get(ROW_MAX), op.get(R), op.i32(i), op.add, op.i32(4), op.mul, op.add);
    emit(op.get(MAX_0 + i), op.storeF32(0));
  }
  emit(op.get(R), op.i32(2), op.add, op.set(R), op.br(0), op.end, op.end, op.end);

  const locals = vector([
    [...unsigned(SCALAR_LOCALS), I32],
    [...unsigned(VECTOR_LOCALS), V128],
    [...unsigned(FLOAT_LOCALS), F32],
  ]);
  const code = [...locals, ...body];
  const signature = [0x60, ...vector(new Array(PARAMETERS).fill([I32])), 0];
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, 0x01];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([signature])),
    ...section(2, vector([memoryImport])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...name('score'), 0x00, 0]])),
    ...section(10, vector([[...unsigned(code.length), ...code]])),
  ]);
}

function unsigned(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return bytes;
}

function signed(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) return bytes;
  }
}

function vector(items: number[][]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

function name(text: string): number[] {
  return vector([...text].map((ch) => [ch.charCodeAt(0)]));
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}
