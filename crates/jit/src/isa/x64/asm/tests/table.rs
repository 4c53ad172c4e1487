//! Table tests: each row is an encoder call, the exact bytes it must emit and
//! the text iced-x86's Intel formatter prints for them. Bytes pin the chosen
//! encoding (short forms, no superfluous REX); text checks the meaning.

use super::*;
use Gpr::*;
use Size::*;
use Xmm::*;

/// `[base + disp]`
fn m(base: Gpr, disp: i32) -> Mem {
    Mem::new(base, disp)
}

/// `[base + index * scale + disp]`
fn mi(base: Gpr, index: Gpr, scale: Scale, disp: i32) -> Mem {
    Mem::indexed(base, index, scale, disp)
}

type Emit = fn(&mut Assembler);

/// `method(args) => "bytes", "text";` rows.
macro_rules! rows {
    ($($method:ident($($arg:expr),*) => $bytes:literal, $text:literal;)*) => {
        vec![$((
            concat!(stringify!($method), "(", stringify!($($arg),*), ")"),
            (|a: &mut Assembler| a.$method($($arg),*)) as Emit,
            $bytes,
            $text,
        )),*]
    };
}

fn table() -> Vec<(&'static str, Emit, &'static str, &'static str)> {
    use Scale::*;
    rows! {
        // Atomics.
        lock_xadd(S32, mi(R15, Rax, X1, 8), R10) => "f0 45 0f c1 54 07 08", "lock xadd [r15+rax+8],r10d";
        lock_xadd(S64, m(Rbx, 0), Rcx) => "f0 48 0f c1 0b", "lock xadd [rbx],rcx";
        lock_xadd(S8, m(Rdx, 0), Rsi) => "f0 40 0f c0 32", "lock xadd [rdx],sil";
        lock_xadd(S16, m(R11, 0), R10) => "f0 66 45 0f c1 13", "lock xadd [r11],r10w";
        lock_cmpxchg(S32, mi(R15, R11, X1, 0), R10) => "f0 47 0f b1 14 1f", "lock cmpxchg [r15+r11],r10d";
        lock_cmpxchg(S8, m(Rax, 0), Rdx) => "f0 0f b0 10", "lock cmpxchg [rax],dl";
        lock_cmpxchg(S64, m(Rcx, 16), Rdx) => "f0 48 0f b1 51 10", "lock cmpxchg [rcx+10h],rdx";
        xchg_mr(S64, m(R15, 0), R10) => "4d 87 17", "xchg [r15],r10";
        xchg_mr(S16, m(Rax, 0), Rcx) => "66 87 08", "xchg [rax],cx";
        xchg_mr(S8, m(Rax, 0), Rdi) => "40 86 38", "xchg [rax],dil";
        mfence() => "0f ae f0", "mfence";
        // Register moves and immediates.
        mov_rr(S64, Rax, Rcx) => "48 89 c8", "mov rax,rcx";
        mov_rr(S32, R8, Rdx) => "41 89 d0", "mov r8d,edx";
        mov_rr(S16, Rcx, R9) => "66 44 89 c9", "mov cx,r9w";
        mov_rr(S8, Rsi, Rax) => "40 88 c6", "mov sil,al";
        mov_rr(S8, Rax, Rcx) => "88 c8", "mov al,cl";
        mov_rr(S8, R12, Rdi) => "41 88 fc", "mov r12b,dil";
        mov_rr(S64, R15, Rsp) => "49 89 e7", "mov r15,rsp";
        mov_ri(S32, Rax, 1) => "b8 01 00 00 00", "mov eax,1";
        mov_ri(S32, R10, -1) => "41 ba ff ff ff ff", "mov r10d,0FFFFFFFFh";
        mov_ri(S64, Rcx, -1) => "48 c7 c1 ff ff ff ff", "mov rcx,0FFFFFFFFFFFFFFFFh";
        mov_ri(S16, Rdx, 0x1234) => "66 ba 34 12", "mov dx,1234h";
        mov_ri(S8, Rdi, 0x7f) => "40 b7 7f", "mov dil,7Fh";
        mov_ri(S8, Rbx, 5) => "b3 05", "mov bl,5";
        movabs(R11, 0x1122_3344_5566_7788) => "49 bb 88 77 66 55 44 33 22 11", "mov r11,1122334455667788h";
        movabs(Rax, 0) => "48 b8 00 00 00 00 00 00 00 00", "mov rax,0";
        mov_imm64(Rax, 0xffff_ffff) => "b8 ff ff ff ff", "mov eax,0FFFFFFFFh";
        mov_imm64(Rax, -2i64 as u64) => "48 c7 c0 fe ff ff ff", "mov rax,0FFFFFFFFFFFFFFFEh";
        mov_imm64(R8, 0x1_0000_0000) => "49 b8 00 00 00 00 01 00 00 00", "mov r8,100000000h";

        // Loads and stores; the rsp/r12 (SIB) and rbp/r13 (disp8 0) bases.
        load(S64, Rax, m(Rsp, 0)) => "48 8b 04 24", "mov rax,[rsp]";
        load(S64, Rax, m(R12, 0)) => "49 8b 04 24", "mov rax,[r12]";
        load(S64, Rax, m(Rbp, 0)) => "48 8b 45 00", "mov rax,[rbp]";
        load(S64, Rax, m(R13, 0)) => "49 8b 45 00", "mov rax,[r13]";
        load(S32, Rcx, m(Rsp, 8)) => "8b 4c 24 08", "mov ecx,[rsp+8]";
        load(S32, Rcx, m(R12, -128)) => "41 8b 4c 24 80", "mov ecx,[r12-80h]";
        load(S32, Rcx, m(Rbp, 128)) => "8b 8d 80 00 00 00", "mov ecx,[rbp+80h]";
        load(S32, R9, m(R13, -129)) => "45 8b 8d 7f ff ff ff", "mov r9d,[r13-81h]";
        load(S32, Rax, m(Rcx, i32::MIN)) => "8b 81 00 00 00 80", "mov eax,[rcx-80000000h]";
        load(S64, Rdx, mi(Rax, Rcx, X1, 0)) => "48 8b 14 08", "mov rdx,[rax+rcx]";
        load(S64, Rdx, mi(Rbp, R12, X8, 0)) => "4a 8b 54 e5 00", "mov rdx,[rbp+r12*8]";
        load(S64, Rdx, mi(R13, Rsi, X4, 0x1234_5678)) => "49 8b 94 b5 78 56 34 12", "mov rdx,[r13+rsi*4+12345678h]";
        load(S16, Rsi, mi(Rsp, Rbp, X2, 16)) => "66 8b 74 6c 10", "mov si,[rsp+rbp*2+10h]";
        load(S8, Rsi, m(Rax, 0)) => "40 8a 30", "mov sil,[rax]";
        load(S8, R15, mi(R15, R15, X1, 1)) => "47 8a 7c 3f 01", "mov r15b,[r15+r15+1]";
        store(S64, m(Rdi, 8), Rax) => "48 89 47 08", "mov [rdi+8],rax";
        store(S32, mi(Rax, R8, X4, -4), R10) => "46 89 54 80 fc", "mov [rax+r8*4-4],r10d";
        store(S16, m(Rcx, 0), Rdx) => "66 89 11", "mov [rcx],dx";
        store(S8, m(Rcx, 0), Rbp) => "40 88 29", "mov [rcx],bpl";
        store(S8, m(Rcx, 0), Rbx) => "88 19", "mov [rcx],bl";
        store_imm(S8, m(Rax, 0), -1) => "c6 00 ff", "mov byte ptr [rax],0FFh";
        store_imm(S16, m(Rax, 2), 0x1234) => "66 c7 40 02 34 12", "mov word ptr [rax+2],1234h";
        store_imm(S32, m(Rsp, 4), 7) => "c7 44 24 04 07 00 00 00", "mov dword ptr [rsp+4],7";
        store_imm(S64, m(R12, 0), -1) => "49 c7 04 24 ff ff ff ff", "mov qword ptr [r12],0FFFFFFFFFFFFFFFFh";

        // Zero and sign extension.
        movzx_rr(ExtMode::BL, Rax, Rsi) => "40 0f b6 c6", "movzx eax,sil";
        movzx_rr(ExtMode::BL, R8, R9) => "45 0f b6 c1", "movzx r8d,r9b";
        movzx_rr(ExtMode::BQ, Rax, Rcx) => "0f b6 c1", "movzx eax,cl";
        movzx_rr(ExtMode::WL, Rdx, R10) => "41 0f b7 d2", "movzx edx,r10w";
        movzx_rr(ExtMode::WQ, R11, Rsp) => "44 0f b7 dc", "movzx r11d,sp";
        movzx_rr(ExtMode::LQ, Rax, Rax) => "89 c0", "mov eax,eax";
        movzx_rm(ExtMode::BL, Rcx, m(Rbp, -8)) => "0f b6 4d f8", "movzx ecx,byte ptr [rbp-8]";
        movzx_rm(ExtMode::WQ, Rcx, m(Rax, 0)) => "0f b7 08", "movzx ecx,word ptr [rax]";
        movzx_rm(ExtMode::LQ, Rcx, m(Rax, 0)) => "8b 08", "mov ecx,[rax]";
        movsx_rr(ExtMode::BL, Rax, Rdi) => "40 0f be c7", "movsx eax,dil";
        movsx_rr(ExtMode::BQ, Rax, Rcx) => "48 0f be c1", "movsx rax,cl";
        movsx_rr(ExtMode::WL, Rax, Rcx) => "0f bf c1", "movsx eax,cx";
        movsx_rr(ExtMode::WQ, R9, Rcx) => "4c 0f bf c9", "movsx r9,cx";
        movsx_rr(ExtMode::LQ, Rax, R14) => "49 63 c6", "movsxd rax,r14d";
        movsx_rm(ExtMode::BQ, Rax, m(Rcx, 0)) => "48 0f be 01", "movsx rax,byte ptr [rcx]";
        movsx_rm(ExtMode::WL, Rax, m(Rcx, 0)) => "0f bf 01", "movsx eax,word ptr [rcx]";
        movsx_rm(ExtMode::LQ, Rax, m(Rcx, 0)) => "48 63 01", "movsxd rax,[rcx]";
        lea(S64, Rsi, mi(R13, R12, X8, 0x1234)) => "4b 8d b4 e5 34 12 00 00", "lea rsi,[r13+r12*8+1234h]";
        lea(S32, Rax, mi(Rax, Rax, X1, 0)) => "8d 04 00", "lea eax,[rax+rax]";
        lea(S64, Rax, m(Rsp, -8)) => "48 8d 44 24 f8", "lea rax,[rsp-8]";
        // The jump-table load: a sign-extended 32-bit entry.
        movsx_rm(ExtMode::LQ, R10, mi(R11, R10, X4, 0)) => "4f 63 14 93", "movsxd r10,[r11+r10*4]";
        movsx_rm(ExtMode::LQ, Rax, mi(R13, Rcx, X4, 0)) => "49 63 44 8d 00", "movsxd rax,[r13+rcx*4]";

        // ALU.
        alu_rr(AluOp::Add, S64, Rax, Rcx) => "48 01 c8", "add rax,rcx";
        alu_rr(AluOp::Or, S32, R8, R9) => "45 09 c8", "or r8d,r9d";
        alu_rr(AluOp::And, S16, Rax, Rbx) => "66 21 d8", "and ax,bx";
        alu_rr(AluOp::Sub, S8, Rsp, Rax) => "40 28 c4", "sub spl,al";
        alu_rr(AluOp::Xor, S32, Rdx, Rdx) => "31 d2", "xor edx,edx";
        alu_rr(AluOp::Cmp, S64, R15, Rdi) => "49 39 ff", "cmp r15,rdi";
        alu_mi(AluOp::Add, S32, m(Rbp, -0x28), 1) => "83 45 d8 01", "add dword ptr [rbp-28h],1";
        alu_mi(AluOp::Cmp, S64, m(Rax, 0), 0x1000) => "48 81 38 00 10 00 00", "cmp qword ptr [rax],1000h";
        alu_mi(AluOp::And, S8, m(Rcx, 0), 0x7f) => "80 21 7f", "and byte ptr [rcx],7Fh";
        alu_mi(AluOp::Xor, S16, m(Rax, 0), 0x1234) => "66 81 30 34 12", "xor word ptr [rax],1234h";
        alu_ri(AluOp::Add, S32, Rcx, 1) => "83 c1 01", "add ecx,1";
        alu_ri(AluOp::Sub, S64, Rsp, 0x80) => "48 81 ec 80 00 00 00", "sub rsp,80h";
        alu_ri(AluOp::Sub, S64, Rsp, -128) => "48 83 ec 80", "sub rsp,0FFFFFFFFFFFFFF80h";
        alu_ri(AluOp::Add, S32, Rax, 0x1234_5678) => "05 78 56 34 12", "add eax,12345678h";
        alu_ri(AluOp::And, S64, Rax, 0x7fff_ffff) => "48 25 ff ff ff 7f", "and rax,7FFFFFFFh";
        alu_ri(AluOp::Cmp, S16, Rax, 1000) => "66 3d e8 03", "cmp ax,3E8h";
        alu_ri(AluOp::Cmp, S16, Rcx, 1000) => "66 81 f9 e8 03", "cmp cx,3E8h";
        alu_ri(AluOp::Xor, S8, Rax, 0x80) => "34 80", "xor al,80h";
        alu_ri(AluOp::Or, S8, Rsi, 1) => "40 80 ce 01", "or sil,1";
        alu_ri(AluOp::Cmp, S32, R12, -1) => "41 83 fc ff", "cmp r12d,0FFFFFFFFh";
        alu_rm(AluOp::Add, S64, Rax, m(Rsp, 8)) => "48 03 44 24 08", "add rax,[rsp+8]";
        alu_rm(AluOp::Cmp, S64, Rsp, m(R14, 0x10)) => "49 3b 66 10", "cmp rsp,[r14+10h]";
        alu_rm(AluOp::Xor, S8, Rdi, m(Rax, 0)) => "40 32 38", "xor dil,[rax]";
        alu_rm(AluOp::Sub, S16, R8, m(Rbp, 0)) => "66 44 2b 45 00", "sub r8w,[rbp]";
        alu_mr(AluOp::Add, S32, m(Rax, 0), Rcx) => "01 08", "add [rax],ecx";
        alu_mr(AluOp::And, S8, m(R13, 0), Rsi) => "41 20 75 00", "and [r13],sil";
        alu_mr(AluOp::Cmp, S64, mi(Rax, R9, X2, 0), Rdx) => "4a 39 14 48", "cmp [rax+r9*2],rdx";
        test_rr(S32, Rax, Rax) => "85 c0", "test eax,eax";
        test_rr(S8, Rsi, Rdi) => "40 84 fe", "test sil,dil";
        test_rr(S64, R8, Rcx) => "49 85 c8", "test r8,rcx";
        test_ri(S32, Rax, 0x100) => "a9 00 01 00 00", "test eax,100h";
        test_ri(S8, Rax, 1) => "a8 01", "test al,1";
        test_ri(S8, Rdi, 1) => "40 f6 c7 01", "test dil,1";
        test_ri(S64, Rcx, -1) => "48 f7 c1 ff ff ff ff", "test rcx,0FFFFFFFFFFFFFFFFh";
        test_ri(S16, R9, 0x8000) => "66 41 f7 c1 00 80", "test r9w,8000h";
        test_mr(S32, m(Rax, 0), Rcx) => "85 08", "test [rax],ecx";

        // Multiply, divide, unary.
        imul_rr(S32, Rax, Rcx) => "0f af c1", "imul eax,ecx";
        imul_rr(S64, R8, R15) => "4d 0f af c7", "imul r8,r15";
        imul_rm(S64, Rax, m(Rsp, 0)) => "48 0f af 04 24", "imul rax,[rsp]";
        imul_rri(S32, Rax, Rcx, 10) => "6b c1 0a", "imul eax,ecx,0Ah";
        imul_rri(S64, Rdx, R13, 1000) => "49 69 d5 e8 03 00 00", "imul rdx,r13,3E8h";
        imul_rri(S32, Rax, Rcx, -1) => "6b c1 ff", "imul eax,ecx,0FFFFFFFFh";
        neg(S32, Rax) => "f7 d8", "neg eax";
        neg(S64, R9) => "49 f7 d9", "neg r9";
        neg(S8, Rbp) => "40 f6 dd", "neg bpl";
        not(S64, Rax) => "48 f7 d0", "not rax";
        not(S16, Rcx) => "66 f7 d1", "not cx";
        mul(S64, Rdx) => "48 f7 e2", "mul rdx";
        mul(S32, Rcx) => "f7 e1", "mul ecx";
        div(S32, Rcx) => "f7 f1", "div ecx";
        div(S64, R10) => "49 f7 f2", "div r10";
        div(S8, Rcx) => "f6 f1", "div cl";
        idiv(S32, Rsi) => "f7 fe", "idiv esi";
        idiv(S64, R15) => "49 f7 ff", "idiv r15";
        cdq() => "99", "cdq";
        cqo() => "48 99", "cqo";

        // Shifts and rotates.
        shift_cl(ShiftOp::Shl, S32, Rax) => "d3 e0", "shl eax,cl";
        shift_cl(ShiftOp::Sar, S64, R11) => "49 d3 fb", "sar r11,cl";
        shift_cl(ShiftOp::Rol, S8, Rsi) => "40 d2 c6", "rol sil,cl";
        shift_cl(ShiftOp::Ror, S16, Rdx) => "66 d3 ca", "ror dx,cl";
        shift_cl(ShiftOp::Shr, S64, Rdx) => "48 d3 ea", "shr rdx,cl";
        shift_ri(ShiftOp::Shl, S32, Rax, 1) => "d1 e0", "shl eax,1";
        shift_ri(ShiftOp::Shr, S64, Rcx, 63) => "48 c1 e9 3f", "shr rcx,3Fh";
        shift_ri(ShiftOp::Sar, S32, R8, 31) => "41 c1 f8 1f", "sar r8d,1Fh";
        shift_ri(ShiftOp::Rol, S64, Rax, 8) => "48 c1 c0 08", "rol rax,8";
        shift_ri(ShiftOp::Ror, S8, Rdi, 1) => "40 d0 cf", "ror dil,1";
        shift_ri(ShiftOp::Shl, S16, Rax, 4) => "66 c1 e0 04", "shl ax,4";

        // Bit counts and scans.
        lzcnt(S32, Rax, Rcx) => "f3 0f bd c1", "lzcnt eax,ecx";
        lzcnt(S64, R8, Rax) => "f3 4c 0f bd c0", "lzcnt r8,rax";
        tzcnt(S32, Rdx, R12) => "f3 41 0f bc d4", "tzcnt edx,r12d";
        tzcnt(S64, Rax, Rax) => "f3 48 0f bc c0", "tzcnt rax,rax";
        popcnt(S32, Rax, Rbx) => "f3 0f b8 c3", "popcnt eax,ebx";
        popcnt(S64, R15, R14) => "f3 4d 0f b8 fe", "popcnt r15,r14";
        bsf(S32, Rax, Rcx) => "0f bc c1", "bsf eax,ecx";
        bsr(S64, Rax, R9) => "49 0f bd c1", "bsr rax,r9";

        // Conditions.
        setcc(Cond::E, Rax) => "0f 94 c0", "sete al";
        setcc(Cond::Ne, Rsi) => "40 0f 95 c6", "setne sil";
        setcc(Cond::P, R8) => "41 0f 9a c0", "setp r8b";
        setcc(Cond::Np, Rbx) => "0f 9b c3", "setnp bl";
        setcc(Cond::L, Rdi) => "40 0f 9c c7", "setl dil";
        setcc(Cond::A, Rsp) => "40 0f 97 c4", "seta spl";
        setcc(Cond::O, R15) => "41 0f 90 c7", "seto r15b";
        cmov_rr(Cond::E, S32, Rax, Rcx) => "0f 44 c1", "cmove eax,ecx";
        cmov_rr(Cond::G, S64, R10, Rdx) => "4c 0f 4f d2", "cmovg r10,rdx";
        cmov_rr(Cond::B, S64, Rax, R11) => "49 0f 42 c3", "cmovb rax,r11";
        cmov_rm(Cond::Ne, S32, Rax, m(Rbp, -4)) => "0f 45 45 fc", "cmovne eax,[rbp-4]";

        // Indirect control flow, stack, traps.
        jmp_r(Rax) => "ff e0", "jmp rax";
        jmp_r(R11) => "41 ff e3", "jmp r11";
        jmp_r(R10) => "41 ff e2", "jmp r10";
        jmp_m(m(Rax, 0)) => "ff 20", "jmp qword ptr [rax]";
        jmp_m(mi(R8, Rcx, X8, 0)) => "41 ff 24 c8", "jmp qword ptr [r8+rcx*8]";
        call_r(Rcx) => "ff d1", "call rcx";
        call_r(R15) => "41 ff d7", "call r15";
        call_m(m(Rdi, 0x20)) => "ff 57 20", "call qword ptr [rdi+20h]";
        call_m(m(R12, 8)) => "41 ff 54 24 08", "call qword ptr [r12+8]";
        ret() => "c3", "ret";
        push(Rbp) => "55", "push rbp";
        push(R12) => "41 54", "push r12";
        pop(Rbx) => "5b", "pop rbx";
        pop(R15) => "41 5f", "pop r15";
        ud2() => "0f 0b", "ud2";
        bytes(&[0x48, 0x99, 0xc3]) => "48 99 c3", "cqo; ret";
        int3() => "cc", "int3";
        nop() => "90", "nop";

        // SSE moves.
        fmov_rr(FloatSize::F32, Xmm0, Xmm1) => "f3 0f 10 c1", "movss xmm0,xmm1";
        fmov_rr(FloatSize::F64, Xmm8, Xmm15) => "f2 45 0f 10 c7", "movsd xmm8,xmm15";
        fload(FloatSize::F32, Xmm1, m(Rax, 0)) => "f3 0f 10 08", "movss xmm1,[rax]";
        fload(FloatSize::F64, Xmm9, mi(Rsp, R12, X8, 8)) => "f2 46 0f 10 4c e4 08", "movsd xmm9,[rsp+r12*8+8]";
        fstore(FloatSize::F32, m(R13, 0), Xmm2) => "f3 41 0f 11 55 00", "movss [r13],xmm2";
        fstore(FloatSize::F64, m(Rsp, 16), Xmm12) => "f2 44 0f 11 64 24 10", "movsd [rsp+10h],xmm12";
        movaps(Xmm0, Xmm1) => "0f 28 c1", "movaps xmm0,xmm1";
        movaps(Xmm10, Xmm3) => "44 0f 28 d3", "movaps xmm10,xmm3";
        movd_to_xmm(S32, Xmm0, Rax) => "66 0f 6e c0", "movd xmm0,eax";
        movd_to_xmm(S64, Xmm13, R9) => "66 4d 0f 6e e9", "movq xmm13,r9";
        movd_from_xmm(S32, Rcx, Xmm2) => "66 0f 7e d1", "movd ecx,xmm2";
        movd_from_xmm(S64, R9, Xmm9) => "66 4d 0f 7e c9", "movq r9,xmm9";

        // SSE arithmetic and bitwise.
        farith_rr(FloatOp::Add, FloatSize::F32, Xmm0, Xmm1) => "f3 0f 58 c1", "addss xmm0,xmm1";
        farith_rr(FloatOp::Sub, FloatSize::F64, Xmm2, Xmm10) => "f2 41 0f 5c d2", "subsd xmm2,xmm10";
        farith_rr(FloatOp::Mul, FloatSize::F32, Xmm11, Xmm3) => "f3 44 0f 59 db", "mulss xmm11,xmm3";
        farith_rr(FloatOp::Div, FloatSize::F64, Xmm0, Xmm0) => "f2 0f 5e c0", "divsd xmm0,xmm0";
        farith_rr(FloatOp::Min, FloatSize::F32, Xmm4, Xmm5) => "f3 0f 5d e5", "minss xmm4,xmm5";
        farith_rr(FloatOp::Max, FloatSize::F64, Xmm15, Xmm15) => "f2 45 0f 5f ff", "maxsd xmm15,xmm15";
        farith_rr(FloatOp::Sqrt, FloatSize::F32, Xmm1, Xmm2) => "f3 0f 51 ca", "sqrtss xmm1,xmm2";
        farith_rr(FloatOp::Sqrt, FloatSize::F64, Xmm1, Xmm2) => "f2 0f 51 ca", "sqrtsd xmm1,xmm2";
        farith_rm(FloatOp::Add, FloatSize::F64, Xmm3, m(Rbp, -16)) => "f2 0f 58 5d f0", "addsd xmm3,[rbp-10h]";
        farith_rm(FloatOp::Mul, FloatSize::F32, Xmm8, m(R12, 0)) => "f3 45 0f 59 04 24", "mulss xmm8,[r12]";
        fbit_rr(FloatBitOp::And, FloatSize::F32, Xmm0, Xmm1) => "0f 54 c1", "andps xmm0,xmm1";
        fbit_rr(FloatBitOp::And, FloatSize::F64, Xmm0, Xmm1) => "66 0f 54 c1", "andpd xmm0,xmm1";
        fbit_rr(FloatBitOp::AndNot, FloatSize::F32, Xmm2, Xmm9) => "41 0f 55 d1", "andnps xmm2,xmm9";
        fbit_rr(FloatBitOp::AndNot, FloatSize::F64, Xmm2, Xmm3) => "66 0f 55 d3", "andnpd xmm2,xmm3";
        fbit_rr(FloatBitOp::Or, FloatSize::F32, Xmm0, Xmm1) => "0f 56 c1", "orps xmm0,xmm1";
        fbit_rr(FloatBitOp::Or, FloatSize::F64, Xmm14, Xmm1) => "66 44 0f 56 f1", "orpd xmm14,xmm1";
        fbit_rr(FloatBitOp::Xor, FloatSize::F32, Xmm0, Xmm0) => "0f 57 c0", "xorps xmm0,xmm0";
        fbit_rr(FloatBitOp::Xor, FloatSize::F64, Xmm1, Xmm2) => "66 0f 57 ca", "xorpd xmm1,xmm2";
        ucomis_rr(FloatSize::F32, Xmm0, Xmm1) => "0f 2e c1", "ucomiss xmm0,xmm1";
        ucomis_rr(FloatSize::F64, Xmm8, Xmm9) => "66 45 0f 2e c1", "ucomisd xmm8,xmm9";
        ucomis_rm(FloatSize::F64, Xmm0, m(Rax, 8)) => "66 0f 2e 40 08", "ucomisd xmm0,[rax+8]";

        // Conversions and rounding.
        cvtsi2s(FloatSize::F32, S32, Xmm0, Rax) => "f3 0f 2a c0", "cvtsi2ss xmm0,eax";
        cvtsi2s(FloatSize::F32, S64, Xmm1, R8) => "f3 49 0f 2a c8", "cvtsi2ss xmm1,r8";
        cvtsi2s(FloatSize::F64, S32, Xmm10, Rcx) => "f2 44 0f 2a d1", "cvtsi2sd xmm10,ecx";
        cvtsi2s(FloatSize::F64, S64, Xmm2, Rdx) => "f2 48 0f 2a d2", "cvtsi2sd xmm2,rdx";
        cvtts2si(FloatSize::F32, S32, Rax, Xmm1) => "f3 0f 2c c1", "cvttss2si eax,xmm1";
        cvtts2si(FloatSize::F32, S64, R9, Xmm0) => "f3 4c 0f 2c c8", "cvttss2si r9,xmm0";
        cvtts2si(FloatSize::F64, S32, Rcx, Xmm12) => "f2 41 0f 2c cc", "cvttsd2si ecx,xmm12";
        cvtts2si(FloatSize::F64, S64, Rax, Xmm2) => "f2 48 0f 2c c2", "cvttsd2si rax,xmm2";
        cvtss2sd(Xmm0, Xmm1) => "f3 0f 5a c1", "cvtss2sd xmm0,xmm1";
        cvtsd2ss(Xmm9, Xmm1) => "f2 44 0f 5a c9", "cvtsd2ss xmm9,xmm1";
        rounds(FloatSize::F32, RoundMode::Nearest, Xmm0, Xmm1) => "66 0f 3a 0a c1 00", "roundss xmm0,xmm1,0";
        rounds(FloatSize::F64, RoundMode::Zero, Xmm1, Xmm9) => "66 41 0f 3a 0b c9 03", "roundsd xmm1,xmm9,3";
        rounds(FloatSize::F32, RoundMode::Down, Xmm8, Xmm2) => "66 44 0f 3a 0a c2 01", "roundss xmm8,xmm2,1";
        rounds(FloatSize::F64, RoundMode::Up, Xmm3, Xmm3) => "66 0f 3a 0b db 02", "roundsd xmm3,xmm3,2";
    }
}

#[test]
fn table_bytes_and_text() {
    let mut failures = Vec::new();
    let rows = table();
    for &(call, f, bytes, text) in &rows {
        let code = emit(f);
        let (got_bytes, got_text) = (hex(&code), intel(&code));
        if got_bytes != bytes || got_text != text {
            failures.push(format!(
                "{call}\n    want {bytes:<32} {text}\n    got  {got_bytes:<32} {got_text}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// Every public emitting method of `Assembler` appears in this table (or, for
/// label users, in the label tests).
#[test]
fn table_covers_every_method() {
    const NOT_EMITTING: &[&str] = &[
        "new",
        "with_capacity",
        "offset",
        "code",
        "new_label",
        "bind",
        "label_offset",
        "finish",
        "finish_copy",
        "reset",
        "capacity",
    ];
    let source = include_str!("../../asm.rs");
    let impl_start = source
        .find("impl Assembler {")
        .expect("impl Assembler in asm.rs");
    let table_src = include_str!("table.rs");
    let label_src = include_str!("labels.rs");
    let mut missing = Vec::new();
    for line in source[impl_start..].lines() {
        let Some(rest) = line.trim_start().strip_prefix("pub fn ") else {
            continue;
        };
        let name = &rest[..rest.find('(').expect("fn name then (")];
        let name = name.split('<').next().unwrap_or(name);
        if NOT_EMITTING.contains(&name) {
            continue;
        }
        let call = format!("{name}(");
        let in_table = table_src.lines().any(|l| l.trim_start().starts_with(&call));
        let in_labels = label_src.contains(&format!(".{call}"));
        if !in_table && !in_labels {
            missing.push(name.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "methods without table rows: {missing:?}"
    );
}
