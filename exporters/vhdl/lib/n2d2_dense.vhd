-- Fully connected block (hw/systemc Dense): a double-buffered input vector (written in stream
-- order: pixel by pixel, channels within a pixel) and PO x PI MACs, ceil(K/PI) steps per group of
-- PO outputs, NB_OUT groups per frame. The weight ROM is laid out in the same stream order
-- (the graph's weights are [C_OUT][C_IN*H*W] in C,H,W order).
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;
library n2d2;
use n2d2.n2d2_pkg.all;

entity n2d2_dense is
  generic (
    C_IN, HW_IN, C_OUT               : positive;
    IN_BITS, OUT_BITS, W_BITS, ACC_BITS : positive;
    IN_SIGNED, OUT_SIGNED            : boolean;
    IN_LANES                         : positive;
    PO, PI                           : positive;
    REQ_LANES                        : positive;
    RESCALE                          : natural;
    MULT_BITS, RQW                   : positive;
    WEIGHTS, BIAS                    : integer_vector;  -- [C_OUT][C_IN*HW_IN] (C,H,W), [C_OUT] (zeros: no bias)
    RQ_MULT, RQ_SHIFT, RQ_LEFT       : integer_vector);
  port (
    clk, rst  : in  std_logic;
    in_valid  : in  std_logic;
    in_data   : in  std_logic_vector(IN_LANES * IN_BITS - 1 downto 0);
    in_pop    : out std_logic;
    out_ready : in  std_logic;
    out_push  : out std_logic;
    out_data  : out std_logic_vector(PO * OUT_BITS - 1 downto 0));
end entity;

architecture rtl of n2d2_dense is
  constant K      : positive := C_IN * HW_IN;
  constant NB_IN  : positive := cdiv(C_IN, IN_LANES);
  constant LAST_W : positive := C_IN - (NB_IN - 1) * IN_LANES;  -- lanes of the last beat of a pixel
  constant NB_OUT : positive := cdiv(C_OUT, PO);
  constant STEPS  : positive := cdiv(K, PI);
  constant WORDS  : positive := NB_OUT * STEPS;
  constant XB     : positive := IN_BITS + 1;

  constant WLANES : positive := PO * PI;
  type wrom_t is array (0 to imax(WORDS, 2) - 1) of std_logic_vector(WLANES * W_BITS - 1 downto 0);
  function build_wrom return wrom_t is
    variable r : wrom_t := (others => (others => '0'));
    variable n, ks, w : integer;
  begin
    for g in 0 to NB_OUT - 1 loop
      for s in 0 to STEPS - 1 loop
        for o in 0 to PO - 1 loop
          for i in 0 to PI - 1 loop
            n := g * PO + o; ks := s * PI + i;  -- ks: stream order (pixel ks / C_IN, channel ks mod C_IN)
            w := 0;
            if n < C_OUT and ks < K then w := WEIGHTS(n * K + (ks mod C_IN) * HW_IN + ks / C_IN); end if;
            r(g * STEPS + s)((o * PI + i + 1) * W_BITS - 1 downto (o * PI + i) * W_BITS) := std_logic_vector(to_signed(w, W_BITS));
          end loop;
        end loop;
      end loop;
    end loop;
    return r;
  end function;
  constant WROM : wrom_t := build_wrom;

  -- Input vector storage (2 x K elements). Lane-banked when every beat is full (C_IN a multiple
  -- of IN_LANES): element e in bank e mod IN_LANES at word e / IN_LANES, one write port per bank
  -- (LUT RAM); else one memory written IN_LANES elements per cycle (flip-flops). xin(i): element
  -- rd_addr + i (read only while k0 + i < K).
  constant BANKED : boolean := LAST_W = IN_LANES;
  constant BWORDS : positive := cdiv(2 * K, IN_LANES);
  constant KW     : natural := K / IN_LANES;                 -- words per half (banked: K = KW * IN_LANES)
  constant PW     : natural := PI / IN_LANES;                -- a step of PI elements: PW words + PL lanes
  constant PL     : natural := PI mod IN_LANES;
  subtype elem_t is std_logic_vector(IN_BITS - 1 downto 0);
  type xin_t is array (0 to PI - 1) of elem_t;
  signal xin : xin_t;
  type acc_t is array (0 to PO - 1) of signed(ACC_BITS - 1 downto 0);
  signal acc : acc_t := (others => (others => '0'));

  signal full     : std_logic_vector(1 downto 0) := "00";
  signal fw, fc   : natural range 0 to 1 := 0;              -- buffer being written / computed on
  signal wr_addr  : natural range 0 to 2 * K := 0;          -- element of the next beat's lane 0
  signal wr_beat  : natural range 0 to NB_IN := 0;
  signal wr_px    : natural range 0 to HW_IN := 0;
  signal rd_addr  : natural range 0 to 2 * K + PI := 0;     -- element of this step's lane 0 (fc * K + step * PI)
  -- banked addressing, kept beside wr_addr / rd_addr (no run-time division: yosys builds a full
  -- divider for / and mod by a constant): wr_word = wr_addr / IN_LANES, rd_addr = rd_word *
  -- IN_LANES + rd_lane
  signal wr_word  : natural range 0 to 2 * K := 0;
  signal rd_word  : natural range 0 to 2 * K + PI := 0;
  signal rd_lane  : natural range 0 to IN_LANES := 0;  -- (not 0 to 0 for one lane: ghdl --synth emits a 0-bit vector yosys rejects)
  signal step     : natural range 0 to STEPS := 0;
  signal k0       : natural range 0 to STEPS * PI := 0;     -- step * PI
  signal grp      : natural range 0 to NB_OUT := 0;
  signal oc0      : natural range 0 to C_OUT + PO := 0;
  signal wword    : natural range 0 to WORDS := 0;
  signal wq       : std_logic_vector(WLANES * W_BITS - 1 downto 0) := WROM(0);

  signal advance, last, fire, rq_ready, wr_en : std_logic;
  signal n_wword  : natural range 0 to WORDS - 1;
  signal sum_v    : acc_t;
  signal final_acc : std_logic_vector(PO * ACC_BITS - 1 downto 0);
begin
  process (all)
    variable adv, lst : boolean;
  begin
    lst := step = STEPS - 1;
    adv := full(fc) = '1' and (not lst or rq_ready = '1');
    if adv then advance <= '1'; else advance <= '0'; end if;
    if lst then last <= '1'; else last <= '0'; end if;
    if adv and lst then fire <= '1'; else fire <= '0'; end if;
    if full(fw) = '0' and in_valid = '1' then wr_en <= '1'; else wr_en <= '0'; end if;
    if adv then
      if wword = WORDS - 1 then n_wword <= 0; else n_wword <= wword + 1; end if;
    else
      n_wword <= wword;
    end if;
  end process;
  in_pop <= wr_en;

  process (all)
    variable part : acc_t;
    variable x    : signed(XB - 1 downto 0);
    variable wv   : signed(W_BITS - 1 downto 0);
    variable base : signed(ACC_BITS - 1 downto 0);
  begin
    part := (others => (others => '0'));
    for i in 0 to PI - 1 loop
      if k0 + i < K then
        x := lane_value(xin(i), IN_SIGNED);
        for o in 0 to PO - 1 loop
          wv := signed(wq((o * PI + i + 1) * W_BITS - 1 downto (o * PI + i) * W_BITS));
          part(o) := part(o) + resize(smul(x, wv), ACC_BITS);
        end loop;
      end if;
    end loop;
    for o in 0 to PO - 1 loop
      if step = 0 then
        if oc0 + o < C_OUT then base := to_signed(BIAS(BIAS'low + oc0 + o), ACC_BITS);
        else base := (others => '0'); end if;
      else
        base := acc(o);
      end if;
      sum_v(o) <= base + part(o);
      final_acc((o + 1) * ACC_BITS - 1 downto o * ACC_BITS) <= std_logic_vector(base + part(o));
    end loop;
  end process;

  banked_g : if BANKED generate
    type bank_t is array (0 to BWORDS - 1) of elem_t;
    type rdp_t is array (0 to IN_LANES * PI - 1) of elem_t;
    type word_t is array (0 to PI - 1) of natural range 0 to BWORDS - 1;
    type lane_t is array (0 to PI - 1) of natural range 0 to IN_LANES;
    signal rdp   : rdp_t;   -- rdp(b * PI + i): bank b at lane i's word
    signal rword : word_t;
    signal rlane : lane_t;
  begin
    process (all)
      variable ln : natural;
    begin
      for i in 0 to PI - 1 loop  -- element rd_addr + i: word rd_word + i / L (+1), lane rd_lane + i mod L (-L)
        ln := rd_lane + i mod IN_LANES;
        if ln >= IN_LANES then
          rword(i) <= imin(rd_word + i / IN_LANES + 1, BWORDS - 1);
          rlane(i) <= ln - IN_LANES;
        else
          rword(i) <= imin(rd_word + i / IN_LANES, BWORDS - 1);
          rlane(i) <= ln;
        end if;
      end loop;
    end process;
    banks_g : for b in 0 to IN_LANES - 1 generate
      signal bank : bank_t;
    begin
      process (clk)
      begin
        if rising_edge(clk) then
          if wr_en = '1' then bank(imin(wr_word, BWORDS - 1)) <= in_data((b + 1) * IN_BITS - 1 downto b * IN_BITS); end if;
        end if;
      end process;
      ports_g : for i in 0 to PI - 1 generate
        rdp(b * PI + i) <= bank(rword(i));
      end generate;
    end generate;
    one_g : if IN_LANES = 1 generate  -- ghdl --synth mis-emits dynamic indexing of a 1-entry range
      lanes_g : for i in 0 to PI - 1 generate
        xin(i) <= rdp(i);
      end generate;
    end generate;
    many_g : if IN_LANES > 1 generate
      process (all)
      begin
        for i in 0 to PI - 1 loop xin(i) <= rdp(rlane(i) * PI + i); end loop;
      end process;
    end generate;
  end generate;

  flat_g : if not BANKED generate
    type buf_t is array (0 to 2 * K - 1) of elem_t;
    signal vbuf : buf_t;  -- not "buf": a Verilog gate keyword in ghdl --synth --out=verilog
  begin
    process (clk)
    begin
      if rising_edge(clk) then
        if wr_en = '1' then
          for l in 0 to IN_LANES - 1 loop
            if wr_beat < NB_IN - 1 or l < LAST_W then vbuf(wr_addr + l) <= in_data((l + 1) * IN_BITS - 1 downto l * IN_BITS); end if;
          end loop;
        end if;
      end if;
    end process;
    process (all)
    begin
      for i in 0 to PI - 1 loop xin(i) <= vbuf(imin(rd_addr + i, 2 * K - 1)); end loop;
    end process;
  end generate;

  rq : entity n2d2.n2d2_requant
    generic map (PO => PO, REQ_LANES => REQ_LANES, C_OUT => C_OUT, ACC_BITS => ACC_BITS, OUT_BITS => OUT_BITS,
                 OUT_SIGNED => OUT_SIGNED, RESCALE => RESCALE, MULT_BITS => MULT_BITS, RQW => RQW,
                 RQ_MULT => RQ_MULT, RQ_SHIFT => RQ_SHIFT, RQ_LEFT => RQ_LEFT)
    port map (clk => clk, rst => rst, fire => fire, acc_in => final_acc, oc_base => oc0, ready => rq_ready,
              out_ready => out_ready, out_push => out_push, out_data => out_data);

  process (clk)
    variable f : std_logic_vector(1 downto 0);
  begin
    if rising_edge(clk) then
      wq <= WROM(n_wword);
      if rst = '1' then
        full <= "00"; fw <= 0; fc <= 0; wr_addr <= 0; wr_beat <= 0; wr_px <= 0; rd_addr <= 0; step <= 0; k0 <= 0;
        wr_word <= 0; rd_word <= 0; rd_lane <= 0;
        grp <= 0; oc0 <= 0; wword <= 0; wq <= WROM(0);
      else
        wword <= n_wword;
        f := full;
        if wr_en = '1' then
          if wr_beat = NB_IN - 1 then
            wr_beat <= 0;
            if wr_px = HW_IN - 1 then
              wr_px <= 0;
              f(fw) := '1';
              fw <= 1 - fw;
              if fw = 0 then wr_addr <= K; wr_word <= KW; else wr_addr <= 0; wr_word <= 0; end if;
            else
              wr_px <= wr_px + 1;
              wr_addr <= wr_addr + LAST_W;
              wr_word <= wr_word + 1;
            end if;
          else
            wr_beat <= wr_beat + 1;
            wr_addr <= wr_addr + IN_LANES;
            wr_word <= wr_word + 1;
          end if;
        end if;
        if advance = '1' then
          acc <= sum_v;
          if last = '0' then
            step <= step + 1; k0 <= k0 + PI; rd_addr <= rd_addr + PI;
            if rd_lane + PL >= IN_LANES then
              rd_lane <= rd_lane + PL - IN_LANES; rd_word <= rd_word + PW + 1;
            else
              rd_lane <= rd_lane + PL; rd_word <= rd_word + PW;
            end if;
          else
            step <= 0; k0 <= 0;
            if grp = NB_OUT - 1 then
              grp <= 0; oc0 <= 0;
              f(fc) := '0';
              fc <= 1 - fc;
              if fc = 0 then rd_addr <= K; rd_word <= KW; else rd_addr <= 0; rd_word <= 0; end if;
              rd_lane <= 0;
            else
              grp <= grp + 1; oc0 <= oc0 + PO;
              if fc = 0 then rd_addr <= 0; rd_word <= 0; else rd_addr <= K; rd_word <= KW; end if;
              rd_lane <= 0;
            end if;
          end if;
        end if;
        full <= f;
      end if;
    end if;
  end process;
end architecture;
