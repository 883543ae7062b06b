#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (onnxruntime-node, CPU) and writes every output as .npy.
//
//   node scripts/ort_run.js MODEL.onnx OUTDIR [--input NAME=FILE.npy ...] [--threads N]
//                           [--repeat N [--warmup N]]
//
// Session: graphOptimizationLevel 'all' (--opt disabled|basic|extended|all), intraOpNumThreads N (default 1), interOpNumThreads 1,
// sequential execution. Inputs are .npy files ('<f4', '<i8', '<i4', '<f8' (read as float32),
// fortran_order False, format versions 1.0/2.0/3.0); `--input FILE.npy` without NAME= binds the
// model inputs in order. Float outputs are written as '<f4', integer outputs as '<i8'/'<i4',
// bool outputs as '|b1', to OUTDIR/<output_name>.npy (characters outside [A-Za-z0-9._-] in the
// name become '_'). Prints JSON on stdout: per-output shape/dtype/file and, with --repeat,
// timing {median_ms, min_ms, mean_ms, runs}: `warmup` runs (default 3) first, then runs until
// both N runs and 3 seconds are done.
'use strict';

const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`ort_run: ${msg}\n`);
  process.exit(2);
}

let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  die(`cannot load onnxruntime-node (${e.message}); run: cd scripts && ONNXRUNTIME_NODE_INSTALL=skip npm ci`);
}

// ---------------------------------------------------------------- npy I/O
const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

function parseHeaderDict(text) {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) throw new Error(`bad npy header: ${text}`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const v = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(v) || v < 0) throw new Error(`bad npy shape: ${shape[1]}`);
    return v;
  });
  return { descr: descr[1], fortran: fortran[1] === 'True', shape: dims };
}

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(NPY_MAGIC)) throw new Error(`${file}: not an .npy file`);
  const major = buf[6];
  let headerLen, off;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    off = 10;
  } else if (major === 2 || major === 3) {
    headerLen = buf.readUInt32LE(8);
    off = 12;
  } else {
    throw new Error(`${file}: unsupported npy version ${major}.${buf[7]}`);
  }
  const hdr = parseHeaderDict(buf.toString(major === 3 ? 'utf8' : 'latin1', off, off + headerLen));
  if (hdr.fortran) throw new Error(`${file}: fortran_order True is not supported`);
  const count = hdr.shape.reduce((a, b) => a * b, 1);
  const dataOff = off + headerLen;
  const specs = {
    '<f4': { size: 4, type: 'float32', Arr: Float32Array },
    '<f8': { size: 8, type: 'float32', Arr: Float64Array },
    '<i8': { size: 8, type: 'int64', Arr: BigInt64Array },
    '<i4': { size: 4, type: 'int32', Arr: Int32Array },
    '|u1': { size: 1, type: 'uint8', Arr: Uint8Array },
    '|b1': { size: 1, type: 'bool', Arr: Uint8Array },
  };
  const spec = specs[hdr.descr];
  if (!spec) throw new Error(`${file}: unsupported dtype ${hdr.descr} (want <f4, <i8, <i4)`);
  const nbytes = count * spec.size;
  if (buf.length < dataOff + nbytes) throw new Error(`${file}: truncated data (${buf.length - dataOff} < ${nbytes} bytes)`);
  // Copy into an aligned buffer.
  const raw = new ArrayBuffer(nbytes);
  new Uint8Array(raw).set(buf.subarray(dataOff, dataOff + nbytes));
  let data = new spec.Arr(raw);
  if (hdr.descr === '<f8') data = Float32Array.from(data);
  if (hdr.descr === '|b1') data = Uint8Array.from(data, (v) => (v ? 1 : 0));
  return { type: spec.type, data, dims: hdr.shape };
}

function writeNpy(file, descr, dims, bytes) {
  const shapeStr = dims.length === 0 ? '()' : dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Version 1.0: 10-byte preamble; total header length padded to a multiple of 64, ending in '\n'.
  const unpadded = 10 + header.length + 1;
  const pad = (64 - (unpadded % 64)) % 64;
  header = header + ' '.repeat(pad) + '\n';
  if (header.length > 65535) throw new Error('npy header too long');
  const pre = Buffer.alloc(10);
  NPY_MAGIC.copy(pre, 0);
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]));
}

function tensorToNpy(t) {
  // Little-endian host assumed (x86-64 / aarch64).
  switch (t.type) {
    case 'float32': return ['<f4', t.data];
    case 'float64': return ['<f4', Float32Array.from(t.data)];
    case 'float16': return ['<f4', Float32Array.from(t.data)];
    case 'int64': return ['<i8', t.data];
    case 'int32': return ['<i4', t.data];
    case 'uint8': case 'int8': case 'int16': case 'uint16': case 'uint32':
      return ['<i8', BigInt64Array.from(t.data, (v) => BigInt(v))];
    case 'bool': return ['|b1', Uint8Array.from(t.data, (v) => (v ? 1 : 0))];
    default: throw new Error(`unsupported output type ${t.type}`);
  }
}

function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

// ---------------------------------------------------------------- CLI
function parseArgs(argv) {
  const a = { positional: [], inputs: [], threads: 1, repeat: 0, warmup: 3, opt: 'all' };
  for (let i = 0; i < argv.length; ++i) {
    const s = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) die(`${s} needs a value`);
      return argv[++i];
    };
    const int = (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) die(`${s}: not a non-negative integer: ${v}`);
      return n;
    };
    if (s === '--input' || s === '-i') {
      const v = next();
      const eq = v.indexOf('=');
      a.inputs.push(eq > 0 ? { name: v.slice(0, eq), file: v.slice(eq + 1) } : { name: null, file: v });
    } else if (s === '--threads') a.threads = int(next());
    else if (s === '--repeat') a.repeat = int(next());
    else if (s === '--warmup') a.warmup = int(next());
    else if (s === '--opt') {
      a.opt = next();
      if (!['disabled', 'basic', 'extended', 'all'].includes(a.opt)) die('--opt must be disabled, basic, extended or all');
    }
    else if (s === '-h' || s === '--help') {
      process.stdout.write('usage: node scripts/ort_run.js MODEL.onnx OUTDIR [--input NAME=FILE.npy ...] [--threads N] [--repeat N [--warmup N]] [--opt LEVEL]\n');
      process.exit(0);
    } else if (s.startsWith('-')) die(`unknown option ${s}`);
    else a.positional.push(s);
  }
  if (a.positional.length !== 2) die('usage: ort_run.js MODEL.onnx OUTDIR [--input NAME=FILE.npy ...] [--threads N] [--repeat N [--warmup N]] [--opt LEVEL]');
  if (a.threads < 1) die('--threads must be >= 1');
  return a;
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const [modelPath, outDir] = args.positional;
  if (!fs.existsSync(modelPath)) die(`no such model: ${modelPath}`);
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: args.opt,
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });

  const feeds = {};
  let positional = 0;
  for (const inp of args.inputs) {
    let name = inp.name;
    if (name === null) {
      if (positional >= session.inputNames.length) die(`more positional inputs than model inputs (${session.inputNames.join(', ')})`);
      name = session.inputNames[positional++];
    }
    if (!session.inputNames.includes(name)) die(`model has no input '${name}' (inputs: ${session.inputNames.join(', ')})`);
    let t;
    try {
      t = readNpy(inp.file);
    } catch (e) {
      die(e.message);
    }
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  }
  const missing = session.inputNames.filter((n) => !(n in feeds));
  if (missing.length) die(`missing inputs: ${missing.join(', ')}`);

  let results = await session.run(feeds);
  const report = { model: modelPath, threads: args.threads, inputs: {}, outputs: {} };
  for (const n of session.inputNames) report.inputs[n] = { shape: feeds[n].dims, dtype: feeds[n].type };

  if (args.repeat > 0) {
    for (let i = 0; i < args.warmup; ++i) results = await session.run(feeds);
    const times = [];
    const t0 = process.hrtime.bigint();
    for (;;) {
      const s = process.hrtime.bigint();
      results = await session.run(feeds);
      const e = process.hrtime.bigint();
      times.push(Number(e - s) / 1e6);
      if (times.length >= args.repeat && Number(e - t0) / 1e9 >= 3.0) break;
    }
    report.timing = {
      median_ms: median(times),
      min_ms: times.reduce((x, y) => Math.min(x, y), Infinity),
      mean_ms: times.reduce((x, y) => x + y, 0) / times.length,
      runs: times.length,
      warmup: args.warmup,
    };
  }

  fs.mkdirSync(outDir, { recursive: true });
  for (const name of session.outputNames) {
    const t = results[name];
    const [descr, data] = tensorToNpy(t);
    const file = path.join(outDir, `${safeName(name)}.npy`);
    writeNpy(file, descr, t.dims.map(Number), data);
    report.outputs[name] = { shape: t.dims.map(Number), dtype: descr, file };
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  if (typeof session.release === 'function') await session.release();
}

main().catch((e) => die(e && e.stack ? e.stack : String(e)));
