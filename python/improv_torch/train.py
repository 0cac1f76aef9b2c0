"""Training under torchrun with DistributedDataParallel.

    torchrun --nproc_per_node N -m improv_torch train --data CORPUS --out MODEL.safetensors [...]

Every process reads the whole exported corpus; each epoch all of them shuffle the training
pieces in the same order (from --seed and the epoch number), and process r takes every N-th
piece from r on, in batches of --batch. DDP averages the gradients across processes (gloo on
CPU, NCCL on CUDA); each process then clips the global norm (--clip, as improv) and takes the
same Adam step, so the replicas stay equal. Rank 0 logs the loss, writes a checkpoint every
epoch (atomically; the last three are kept) and the model file in improv's format.

Without torchrun it runs as one process, no process group.
"""
import argparse
import json
import math
import os
import shlex
import subprocess
import sys
import time

import torch
import torch.distributed as dist

from . import checkpoint, modelfile
from .corpus import Corpus, batch
from .files import RefusedFile, write_text
from .network import ChordMelodyNet, Topology, initial_parameters, loss_sums, parse_size


def arguments(argv):
    p = argparse.ArgumentParser(prog="improv_torch train", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="a folder written by `improv export-corpus`")
    p.add_argument("--out", required=True, help="the model file to write (improv's format)")
    p.add_argument("--size", default="8x2+8x2", help="chord BLOCKSxCELLS+melody BLOCKSxCELLS (new networks)")
    p.add_argument("--cell", default="lstm", choices=["lstm", "rnn"], help="lstm, or rnn for plain tanh units")
    p.add_argument("--init", help="an improv model file to go on training (its topology is kept)")
    p.add_argument("--resume", help="a checkpoint file, or 'auto' for the newest in --checkpoints (none: start anew)")
    p.add_argument("--checkpoints", help="checkpoint folder (default: OUT without .safetensors, plus .torch-checkpoints)")
    p.add_argument("--epochs", type=int, default=100, help="train until this many epochs are done (resumed ones count)")
    p.add_argument("--time-limit", type=float, help="stop after this many seconds")
    p.add_argument("--target-loss", type=float, help="stop once the held-out loss per slice is at most this")
    p.add_argument("--check", help="a command run on the model every --check-every epochs, {model} standing for its "
                                    "path; training stops when it exits 0 (e.g. \"improv eval --target --model {model}\")")
    p.add_argument("--check-every", type=int, default=1, help="epochs between --check runs")
    p.add_argument("--check-below", type=float, help="run --check only once the held-out loss per slice is at most this")
    p.add_argument("--batch", type=int, default=2, help="pieces per process in a batch")
    p.add_argument("--lr", type=float, default=0.02, help="Adam's learning rate")
    p.add_argument("--plateau", type=int, default=6,
                   help="halve the learning rate after this many epochs without a better held-out loss, as improv train (0: never)")
    p.add_argument("--clip", type=float, default=1.0, help="global gradient-norm limit (0: none)")
    p.add_argument("--seed", type=int, default=1, help="seed of the weights and the shuffle")
    p.add_argument("--threads", type=int, default=1, help="torch threads per process")
    p.add_argument("--cpu", action="store_true", help="stay on the CPU even when CUDA is there")
    a = p.parse_args(argv)
    if a.check_every < 1:
        p.error("--check-every must be at least 1")
    if a.batch < 1 or a.epochs < 0 or a.lr <= 0 or a.clip < 0 or a.threads < 1:
        p.error("--batch and --threads must be at least 1, --epochs and --clip not negative, --lr positive")
    return a


class Run:
    def __init__(self, a):
        self.a = a
        self.distributed = "WORLD_SIZE" in os.environ
        self.rank = int(os.environ.get("RANK", 0))
        self.world = int(os.environ.get("WORLD_SIZE", 1))
        local = int(os.environ.get("LOCAL_RANK", 0))
        cuda = torch.cuda.is_available() and not a.cpu
        self.device = torch.device(f"cuda:{local}" if cuda else "cpu")
        if cuda:
            torch.cuda.set_device(self.device)
        self.backend = "nccl" if cuda else "gloo"
        torch.set_num_threads(a.threads)
        if self.distributed:
            dist.init_process_group(self.backend)

    def say(self, text):
        if self.rank == 0:
            print(text, flush=True)

    def all_sum(self, values):
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.distributed:
            dist.all_reduce(t)
        return t.tolist()


def main(argv):
    a = arguments(argv)
    run = Run(a)
    try:
        return train(run, a)
    except RefusedFile as e:
        print(f"improv_torch: {e}", file=sys.stderr, flush=True)
        return 2
    finally:
        if run.distributed and dist.is_initialized():
            dist.destroy_process_group()


def train(run, a):
    corpus = Corpus(a.data)
    base = a.out[:-len(".safetensors")] if a.out.endswith(".safetensors") else a.out
    folder = a.checkpoints or base + ".torch-checkpoints"
    start_epoch, moments, step, facts = 0, None, 0, {}
    resume = checkpoint.newest(folder) if a.resume == "auto" else a.resume
    if resume:
        topology, tensors, moments, step, start_epoch, seed = checkpoint.load(resume, corpus.encoding_json)
        if seed != a.seed:
            raise RefusedFile(resume, f"a checkpoint of --seed {seed}, not {a.seed} (the shuffle would differ)")
        run.say(f"resuming from {resume} (epoch {start_epoch}, {step} updates)")
    elif a.init:
        topology, tensors, meta = modelfile.load(a.init)
        if json.loads(meta["encoding"]) != json.loads(corpus.encoding_json or "{}"):
            raise RefusedFile(a.init, f"its slice encoding {meta['encoding']} is not the corpus's {corpus.encoding_json}")
        facts["training.initialized-from"] = os.path.basename(a.init)
        run.say(f"going on from {a.init} ({topology.size_text()} {topology.cellKind} cells)")
    else:
        bc, nc, bm, nm = parse_size(a.size)
        topology = Topology(corpus.chord_inputs, corpus.melody_inputs, corpus.chord_inputs, corpus.melody_classes,
                            bc, nc, bm, nm, "lstm" if a.cell == "lstm" else "tanhRNN")
        tensors = initial_parameters(topology, a.seed)
    if (topology.chordInputs, topology.melodyInputs, topology.melodyClasses) != (
            corpus.chord_inputs, corpus.melody_inputs, corpus.melody_classes):
        raise RefusedFile(resume or a.init, "the network's inputs and outputs do not fit the corpus's encoding")

    net = ChordMelodyNet(topology, tensors).to(run.device)
    model = net
    if run.distributed:
        model = torch.nn.parallel.DistributedDataParallel(net, device_ids=[run.device] if run.device.type == "cuda" else None)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    checkpoint.restore_optimizer(opt, net, moments, step)

    pieces = corpus.training
    per_rank = math.ceil(len(pieces) / run.world)
    batches = math.ceil(per_rank / a.batch)
    run.say(f"training on {corpus.description}: {len(pieces)} pieces, {corpus.training_slices} slices per epoch, "
            f"{len(corpus.held_out)} held out; {topology.size_text()} {topology.cellKind} cells; "
            f"{run.world} process{'es' if run.world > 1 else ''} ({run.backend}, {run.device.type}), "
            f"batch {a.batch} per process, {batches} updates per epoch")
    log = [] if start_epoch == 0 or not os.path.exists(base + ".torch-loss.csv") else \
        open(base + ".torch-loss.csv").read().splitlines()[1:start_epoch + 1]
    started = time.time()
    epoch = start_epoch
    best, since = float("inf"), 0
    for epoch in range(start_epoch + 1, a.epochs + 1):
        g = torch.Generator().manual_seed(a.seed * 1_000_003 + epoch)
        order = torch.randperm(len(pieces), generator=g).tolist()
        order = (order * (per_rank * run.world // max(1, len(order)) + 1))[:per_rank * run.world]
        mine = order[run.rank::run.world]
        model.train()
        t0 = time.time()
        sums = [0.0, 0.0, 0.0]
        for b in range(batches):
            members = [pieces[i] for i in mine[b * a.batch:(b + 1) * a.batch]]
            if not members:  # only when a process's share is short: wrap round, so every rank steps
                members = [pieces[mine[0]]]
            xc, xm, yc, ym, mask = batch(members, run.device)
            opt.zero_grad(set_to_none=True)
            chord, melody = loss_sums(model, xc, xm, yc, ym, mask)
            slices = mask.sum()
            ((chord + melody) / slices).backward()  # DDP averages this over the processes
            if a.clip > 0:
                torch.nn.utils.clip_grad_norm_(net.parameters(), a.clip)
            opt.step()
            sums[0] += float(chord.detach())
            sums[1] += float(melody.detach())
            sums[2] += float(slices)
        train_seconds = time.time() - t0
        chord_sum, melody_sum, slices = run.all_sum(sums)
        held = held_out_loss(run, net, corpus.held_out)
        train_loss = (chord_sum + melody_sum) / slices
        rate = slices / train_seconds if train_seconds > 0 else 0.0
        elapsed = time.time() - started
        stop = (a.target_loss is not None and held <= a.target_loss) or (a.time_limit is not None and elapsed >= a.time_limit)
        run.say(f"epoch {epoch}: loss {train_loss:.3f} (chord {chord_sum / slices:.3f}, melody {melody_sum / slices:.3f}), "
                f"held-out {held:.3f}, {rate:.0f} slices/s, {elapsed:.1f} s")
        log.append(f"{epoch},{train_loss:.6f},{chord_sum / slices:.6f},{melody_sum / slices:.6f},{held:.6f},{rate:.1f},{elapsed:.3f}")
        if run.rank == 0:
            checkpoint.save(folder, epoch, net, opt, topology, corpus.encoding_json, a.seed)
            write_text(base + ".torch-loss.csv", "epoch,loss,chord,melody,held_out,slices_per_second,seconds\n"
                       + "\n".join(log) + "\n")
        best, since = (held, 0) if held < best else (best, since + 1)
        if a.plateau and since >= a.plateau:
            for group in opt.param_groups:
                group["lr"] = max(1e-4, group["lr"] * 0.5)
            since = 0
            run.say(f"epoch {epoch}: no better held-out loss for {a.plateau} epochs, learning rate now {opt.param_groups[0]['lr']:g}")
        if a.check and epoch % a.check_every == 0 and (a.check_below is None or held <= a.check_below):
            passed = 0.0
            if run.rank == 0:
                save_model(run, a, corpus, facts, topology, net, epoch)
                passed = 1.0 if run_check(a.check, a.out) else 0.0
                run.say(f"epoch {epoch}: check {'passed' if passed else 'not passed'}")
            if run.all_sum([passed])[0] > 0:
                facts["training.check"] = f"passed at epoch {epoch}: {a.check}"
                stop = True
        if stop:
            break
    if run.rank == 0:
        save_model(run, a, corpus, facts, topology, net, epoch)
        run.say(f"wrote {a.out} (epoch {epoch}), {base}.torch-loss.csv and checkpoints in {folder}")
    if run.distributed:
        dist.barrier()
    return 0


def run_check(command, model):
    """Runs the check command with {model} replaced; True when it exits 0. Its output is shown."""
    args = [part.replace("{model}", model) for part in shlex.split(command)]
    try:
        done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as e:
        raise SystemExit(f"improv_torch: --check {command!r}: cannot run: {e}")
    for line in done.stdout.splitlines():
        print("  check: " + line, flush=True)
    return done.returncode == 0


def save_model(run, a, corpus, facts, topology, net, epoch):
    """Writes the model file (rank 0), with the corpus's metadata and how it was trained."""
    meta = dict(corpus.model_metadata)
    meta.update(facts)
    meta.update({"training.trainer": f"improv_torch (PyTorch {torch.__version__}, DistributedDataParallel, "
                                     f"{run.world} process{'es' if run.world > 1 else ''}, {run.backend})",
                 "training.optimizer": "adam", "training.schedule": f"constant({a.lr})",
                 "training.batch": f"{a.batch * run.world}", "training.seed": str(a.seed),
                 "training.clip": str(a.clip) if a.clip > 0 else "none", "training.cell": topology.cellKind,
                 "training.epochs": str(epoch)})
    modelfile.save(a.out, topology, net.improv_tensors(), meta)


@torch.no_grad()
def held_out_loss(run, net, held_out, chunk=16):
    """Loss per slice over the held-out pieces, each process a share, summed across them."""
    net.eval()
    mine = held_out[run.rank::run.world]
    sums = [0.0, 0.0]
    for i in range(0, len(mine), chunk):
        xc, xm, yc, ym, mask = batch(mine[i:i + chunk], run.device)
        c, m = loss_sums(net, xc, xm, yc, ym, mask)
        sums[0] += float(c + m)
        sums[1] += float(mask.sum())
    total, slices = run.all_sum(sums)
    return total / slices if slices else float("nan")
