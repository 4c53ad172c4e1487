/* interp_vm.c - a small stack-machine bytecode interpreter written in C.
 * Stresses: a switch-dispatch loop (br_table), unpredictable branches,
 * operand stack traffic in linear memory. Three guest programs: nested
 * loop hashing, trial-division prime counting, and recursive fib using the
 * VM's own CALL/RET. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_INC, OP_ADD, OP_SUB, OP_MUL,
    OP_DIVU, OP_REMU, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHRU, OP_LTU, OP_EQ,
    OP_JMP, OP_JZ, OP_JNZ, OP_DUP, OP_DROP, OP_SWAP, OP_CALL, OP_RET,
    OP_SEXT8, OP_SEXT16,
};

#define MAXCODE 512
#define MAXLABEL 32

typedef struct {
    int32_t code[MAXCODE];
    int n;
    int label_pos[MAXLABEL];
    int fix_at[MAXLABEL * 4], fix_label[MAXLABEL * 4], nfix;
} assembler;

static void emit(assembler *a, int32_t op) { a->code[a->n++] = op; }
static void emit1(assembler *a, int32_t op, int32_t arg) { emit(a, op); emit(a, arg); }
static void jump(assembler *a, int32_t op, int label) {
    emit(a, op);
    a->fix_at[a->nfix] = a->n;
    a->fix_label[a->nfix++] = label;
    emit(a, -1);
}
static void label(assembler *a, int l) { a->label_pos[l] = a->n; }
static void asm_link(assembler *a) {
    for (int i = 0; i < a->nfix; i++)
        a->code[a->fix_at[i]] = a->label_pos[a->fix_label[i]];
}

static uint32_t stack[4096];
static int32_t rstack[1024];

/* Runs code with registers reg[]; returns top of stack at HALT. */
static uint32_t run(const int32_t *code, uint32_t *reg, uint64_t *steps_out) {
    int pc = 0, sp = 0, rsp = 0;
    uint64_t steps = 0;
    for (;;) {
        steps++;
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT:
            *steps_out += steps;
            return sp ? stack[sp - 1] : 0;
        case OP_PUSH: stack[sp++] = (uint32_t)code[pc++]; break;
        case OP_LOAD: stack[sp++] = reg[code[pc++]]; break;
        case OP_STORE: reg[code[pc++]] = stack[--sp]; break;
        case OP_INC: reg[code[pc++]]++; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DIVU: sp--; stack[sp - 1] /= stack[sp]; break;
        case OP_REMU: sp--; stack[sp - 1] %= stack[sp]; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHL: sp--; stack[sp - 1] <<= (stack[sp] & 31); break;
        case OP_SHRU: sp--; stack[sp - 1] >>= (stack[sp] & 31); break;
        case OP_LTU: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case OP_JNZ: pc = stack[--sp] ? code[pc] : pc + 1; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP: sp--; break;
        case OP_SWAP: {
            uint32_t t = stack[sp - 1];
            stack[sp - 1] = stack[sp - 2];
            stack[sp - 2] = t;
            break;
        }
        case OP_CALL: rstack[rsp++] = pc + 1; pc = code[pc]; break;
        case OP_RET: pc = rstack[--rsp]; break;
        /* sign-extend the low 8/16 bits of the top of stack */
        case OP_SEXT8: stack[sp - 1] = (uint32_t)(int32_t)(int8_t)(uint8_t)stack[sp - 1]; break;
        case OP_SEXT16: stack[sp - 1] = (uint32_t)(int32_t)(int16_t)(uint16_t)stack[sp - 1]; break;
        default:
            printf("bad opcode %d at %d\n", (int)op, pc - 1);
            exit(1);
        }
    }
}

/* r0 = i, r1 = j, r2 = acc ;
 * acc = (acc*31 + (sext8(i ^ j) ^ sext16(acc * 7))) % 1000003 */
static void prog_nested(assembler *a, uint32_t n, uint32_t m) {
    enum { L_OUTER, L_INNER, L_INNER_END, L_END };
    emit1(a, OP_PUSH, 0); emit1(a, OP_STORE, 0);
    emit1(a, OP_PUSH, 1); emit1(a, OP_STORE, 2);
    label(a, L_OUTER);
    emit1(a, OP_LOAD, 0); emit1(a, OP_PUSH, (int32_t)n); emit(a, OP_LTU); jump(a, OP_JZ, L_END);
    emit1(a, OP_PUSH, 0); emit1(a, OP_STORE, 1);
    label(a, L_INNER);
    emit1(a, OP_LOAD, 1); emit1(a, OP_PUSH, (int32_t)m); emit(a, OP_LTU); jump(a, OP_JZ, L_INNER_END);
    emit1(a, OP_LOAD, 2); emit1(a, OP_PUSH, 31); emit(a, OP_MUL);
    emit1(a, OP_LOAD, 0); emit1(a, OP_LOAD, 1); emit(a, OP_XOR); emit(a, OP_SEXT8);
    emit1(a, OP_LOAD, 2); emit1(a, OP_PUSH, 7); emit(a, OP_MUL); emit(a, OP_SEXT16);
    emit(a, OP_XOR); emit(a, OP_ADD);
    emit1(a, OP_PUSH, 1000003); emit(a, OP_REMU); emit1(a, OP_STORE, 2);
    emit1(a, OP_INC, 1); jump(a, OP_JMP, L_INNER);
    label(a, L_INNER_END);
    emit1(a, OP_INC, 0); jump(a, OP_JMP, L_OUTER);
    label(a, L_END);
    emit1(a, OP_LOAD, 2); emit(a, OP_HALT);
}

/* count primes < limit by trial division: r0 = n, r1 = d, r3 = count */
static void prog_primes(assembler *a, uint32_t limit) {
    enum { L_N, L_D, L_PRIME, L_NEXT, L_END };
    emit1(a, OP_PUSH, 2); emit1(a, OP_STORE, 0);
    emit1(a, OP_PUSH, 0); emit1(a, OP_STORE, 3);
    label(a, L_N);
    emit1(a, OP_LOAD, 0); emit1(a, OP_PUSH, (int32_t)limit); emit(a, OP_LTU); jump(a, OP_JZ, L_END);
    emit1(a, OP_PUSH, 2); emit1(a, OP_STORE, 1);
    label(a, L_D);
    /* if d*d > n -> prime */
    emit1(a, OP_LOAD, 0); emit1(a, OP_LOAD, 1); emit(a, OP_DUP); emit(a, OP_MUL);
    emit(a, OP_LTU); jump(a, OP_JNZ, L_PRIME);
    /* if n % d == 0 -> not prime */
    emit1(a, OP_LOAD, 0); emit1(a, OP_LOAD, 1); emit(a, OP_REMU); jump(a, OP_JZ, L_NEXT);
    emit1(a, OP_INC, 1); jump(a, OP_JMP, L_D);
    label(a, L_PRIME);
    emit1(a, OP_INC, 3);
    label(a, L_NEXT);
    emit1(a, OP_INC, 0); jump(a, OP_JMP, L_N);
    label(a, L_END);
    emit1(a, OP_LOAD, 3); emit(a, OP_HALT);
}

/* recursive fib on the operand stack using CALL/RET */
static void prog_fib(assembler *a, uint32_t n) {
    enum { L_FIB, L_BASE };
    emit1(a, OP_PUSH, (int32_t)n); jump(a, OP_CALL, L_FIB); emit(a, OP_HALT);
    label(a, L_FIB);
    emit(a, OP_DUP); emit1(a, OP_PUSH, 2); emit(a, OP_LTU); jump(a, OP_JNZ, L_BASE);
    emit(a, OP_DUP); emit1(a, OP_PUSH, 1); emit(a, OP_SUB); jump(a, OP_CALL, L_FIB);
    emit(a, OP_SWAP); emit1(a, OP_PUSH, 2); emit(a, OP_SUB); jump(a, OP_CALL, L_FIB);
    emit(a, OP_ADD);
    label(a, L_BASE);
    emit(a, OP_RET);
}

static assembler asm_buf;

static uint32_t run_prog(int which, uint32_t p1, uint32_t p2, uint64_t *steps) {
    assembler *a = &asm_buf;
    a->n = 0;
    a->nfix = 0;
    if (which == 0)
        prog_nested(a, p1, p2);
    else if (which == 1)
        prog_primes(a, p1);
    else
        prog_fib(a, p1);
    asm_link(a);
    uint32_t reg[16] = {0};
    return run(a->code, reg, steps);
}

int main(void) {
    uint64_t steps = 0;
    uint32_t r0 = run_prog(0, 1200, 1200, &steps);
    uint32_t r1 = run_prog(1, 150000, 0, &steps);
    uint32_t r2 = run_prog(2, 27, 0, &steps);
    printf("nested: %" PRIu32 "\n", r0);
    printf("primes: %" PRIu32 "\n", r1);
    printf("fib: %" PRIu32 "\n", r2);
    printf("steps: %" PRIu64 "\n", steps);
    printf("checksum: %016" PRIx64 "\n", (uint64_t)(((uint64_t)r0 << 32 | r1) ^ ((uint64_t)r2 * 2654435761u) ^ steps));
    return 0;
}
