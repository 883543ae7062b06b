-- Convolution / max-pooling block (hw/systemc Window): a circular line buffer of pixels and a
-- window engine stepping through the outputs in raster order. Conv: per output pixel NB_OUT
-- groups of PO output channels, each ceil(CIN_G/PI) * ceil(TAPS/PK) MAC steps on a PO x PI x PK
-- array; pool: per input beat ceil(TAPS/PK) compare steps on PK taps per lane. One step per
-- cycle; the engine runs while the pixel it needs last is complete, the writer while the pixel
-- it writes does not overwrite one still needed (CAP pixels of capacity).
-- Stream: beats of IN_LANES (OUT_LANES) lanes, beat j carrying channels [j*LANES, ...).
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;
library n2d2;
use n2d2.n2d2_pkg.all;

entity n2d2_window is
  generic (
    IS_POOL                          : boolean;
    C_IN, H_IN, W_IN, C_OUT, H_OUT, W_OUT : positive;
    KH, KW, SH, SW                   : positive;
    PAD_T, PAD_L                     : natural;
    GROUPS                           : positive;
    IN_BITS, OUT_BITS, W_BITS, ACC_BITS : positive;
    IN_SIGNED, OUT_SIGNED            : boolean;
    IN_LANES, OUT_LANES              : positive;
    PO, PI, PK                       : positive;
    CAP                              : positive;
    REQ_LANES                        : positive;
    RESCALE                          : natural;
    MULT_BITS, RQW                   : positive;
    WEIGHTS, BIAS                    : integer_vector;  -- [C_OUT][C_IN/GROUPS][KH][KW], [C_OUT] (zeros: no bias)
    RQ_MULT, RQ_SHIFT, RQ_LEFT       : integer_vector);
  port (
    clk, rst  : in  std_logic;
    in_valid  : in  std_logic;
    in_data   : in  std_logic_vector(IN_LANES * IN_BITS - 1 downto 0);
    in_pop    : out std_logic;
    out_ready : in  std_logic;
    out_push  : out std_logic;
    out_data  : out std_logic_vector(OUT_LANES * OUT_BITS - 1 downto 0));
end entity;

architecture rtl of n2d2_window is
  constant HW     : positive := H_IN * W_IN;
  constant NB_IN  : positive := cdiv(C_IN, IN_LANES);
  constant NB_OUT : positive := cdiv(C_OUT, OUT_LANES);
  constant TAPS   : positive := KH * KW;
  constant CIN_G  : positive := C_IN / GROUPS;
  constant COUT_G : positive := C_OUT / GROUPS;
  function qi_of return positive is
  begin
    if IS_POOL then return 1; end if;  -- pooling steps over taps only
    return cdiv(CIN_G, PI);
  end function;
  constant QI     : positive := qi_of;
  constant QK     : positive := cdiv(TAPS, PK);
  constant LANES  : positive := OUT_LANES;        -- conv: PO, pool: IN_LANES
  constant NPI    : positive := PI;
  constant WORDS  : positive := NB_OUT * QI * QK;  -- weight ROM words (conv)
  constant AB     : positive := imax(1, clog2(CAP));
  constant SLOTS  : positive := 2 ** AB;           -- storage >= CAP pixels, indexed by low bits
  constant XB     : positive := IN_BITS + 1;       -- lane value width (sign bit added)

  -- Constant tables indexed by the output row / column / tap (no run-time multiplications).
  type int_tab is array (natural range <>) of integer;
  function need_row return int_tab is
    variable t : int_tab(0 to imax(H_OUT, 2) - 1) := (others => 0);
  begin
    for ho in 0 to H_OUT - 1 loop t(ho) := iclamp(ho * SH - PAD_T + KH - 1, 0, H_IN - 1) * W_IN; end loop;
    return t;
  end function;
  function need_col return int_tab is
    variable t : int_tab(0 to imax(W_OUT, 2) - 1) := (others => 0);
  begin
    for wo in 0 to W_OUT - 1 loop t(wo) := iclamp(wo * SW - PAD_L + KW - 1, 0, W_IN - 1); end loop;
    return t;
  end function;
  function old_row return int_tab is
    variable t : int_tab(0 to imax(H_OUT, 2) - 1) := (others => 0);
  begin
    for ho in 0 to H_OUT - 1 loop t(ho) := iclamp(ho * SH - PAD_T, 0, H_IN - 1) * W_IN; end loop;
    return t;
  end function;
  -- 1: the next output row starts in the same (clamped) row: the oldest needed pixel is its first.
  function old_rowstart return int_tab is
    variable t : int_tab(0 to imax(H_OUT, 2) - 1) := (others => 0);
  begin
    for ho in 0 to H_OUT - 1 loop
      t(ho) := 0;
      if ho + 1 < H_OUT and iclamp(ho * SH - PAD_T + SH, 0, H_IN - 1) = iclamp(ho * SH - PAD_T, 0, H_IN - 1) then t(ho) := 1; end if;
    end loop;
    return t;
  end function;
  function old_col return int_tab is
    variable t : int_tab(0 to imax(W_OUT, 2) - 1) := (others => 0);
  begin
    for wo in 0 to W_OUT - 1 loop t(wo) := iclamp(wo * SW - PAD_L, 0, W_IN - 1); end loop;
    return t;
  end function;
  function oy0 return int_tab is
    variable t : int_tab(0 to imax(H_OUT, 2) - 1) := (others => 0);
  begin
    for ho in 0 to H_OUT - 1 loop t(ho) := ho * SH - PAD_T; end loop;
    return t;
  end function;
  function rowb return int_tab is
    variable t : int_tab(0 to imax(H_OUT, 2) - 1) := (others => 0);
  begin
    for ho in 0 to H_OUT - 1 loop t(ho) := (ho * SH - PAD_T) * W_IN; end loop;
    return t;
  end function;
  function ox0 return int_tab is
    variable t : int_tab(0 to imax(W_OUT, 2) - 1) := (others => 0);
  begin
    for wo in 0 to W_OUT - 1 loop t(wo) := wo * SW - PAD_L; end loop;
    return t;
  end function;
  -- taps of step kstep, lane j: k = kstep*PK + j (-1: no tap)
  function tap_ky return int_tab is
    variable t : int_tab(0 to imax(QK * PK, 2) - 1) := (others => 0);
  begin
    for k in 0 to imax(QK * PK, 2) - 1 loop
      if k < TAPS then t(k) := k / KW; else t(k) := -1; end if;
    end loop;
    return t;
  end function;
  function tap_kx return int_tab is
    variable t : int_tab(0 to imax(QK * PK, 2) - 1) := (others => 0);
  begin
    for k in 0 to imax(QK * PK, 2) - 1 loop
      if k < TAPS then t(k) := k mod KW; else t(k) := 0; end if;
    end loop;
    return t;
  end function;
  function tap_off return int_tab is
    variable t : int_tab(0 to imax(QK * PK, 2) - 1) := (others => 0);
  begin
    for k in 0 to imax(QK * PK, 2) - 1 loop
      if k < TAPS then t(k) := (k / KW) * W_IN + k mod KW; else t(k) := 0; end if;
    end loop;
    return t;
  end function;
  -- first input channel of the group of output channel oc
  function cin_base return int_tab is
    variable t : int_tab(0 to C_OUT + PO);
  begin
    for oc in 0 to C_OUT + PO loop t(oc) := (imin(oc, C_OUT - 1) / COUT_G) * CIN_G; end loop;
    return t;
  end function;
  constant T_NEED_ROW : int_tab := need_row;
  constant T_NEED_COL : int_tab := need_col;
  constant T_OLD_ROW  : int_tab := old_row;
  constant T_OLD_RS   : int_tab := old_rowstart;
  constant T_OLD_COL  : int_tab := old_col;
  constant T_OY0      : int_tab := oy0;
  constant T_OX0      : int_tab := ox0;
  constant T_ROWB     : int_tab := rowb;
  constant T_KY       : int_tab := tap_ky;
  constant T_KX       : int_tab := tap_kx;
  constant T_OFF      : int_tab := tap_off;
  constant T_CIN      : int_tab := cin_base;

  -- Weight ROM: word (group, istep, kstep), lanes (o, i, j) of W_BITS, zero outside the layer.
  constant WLANES : positive := PO * PI * PK;
  type wrom_t is array (0 to imax(WORDS, 2) - 1) of std_logic_vector(WLANES * W_BITS - 1 downto 0);
  function build_wrom return wrom_t is
    variable r : wrom_t := (others => (others => '0'));
    variable oc, ci, k, w : integer;
  begin
    if IS_POOL then return r; end if;
    for g in 0 to NB_OUT - 1 loop
      for ist in 0 to QI - 1 loop
        for ks in 0 to QK - 1 loop
          for o in 0 to PO - 1 loop
            for i in 0 to PI - 1 loop
              for j in 0 to PK - 1 loop
                oc := g * PO + o; ci := ist * PI + i; k := ks * PK + j;
                w := 0;
                if oc < C_OUT and ci < CIN_G and k < TAPS then w := WEIGHTS((oc * CIN_G + ci) * TAPS + k); end if;
                r((g * QI + ist) * QK + ks)(((o * PI + i) * PK + j + 1) * W_BITS - 1 downto ((o * PI + i) * PK + j) * W_BITS)
                  := std_logic_vector(to_signed(w, W_BITS));
              end loop;
            end loop;
          end loop;
        end loop;
      end loop;
    end loop;
    return r;
  end function;
  constant WROM : wrom_t := build_wrom;

  -- Line buffer: one memory of SLOTS pixels per input beat (a generate each: GHDL 2.0 --synth
  -- asserts on a 2-D array of memories written at a dynamic index), read at PK slots per cycle
  -- (asynchronous read ports: LUT RAM, see the ram_style attribute below). rd(b * PK + j): beat b
  -- of the pixel at tap slot j.
  subtype beat_t is std_logic_vector(IN_LANES * IN_BITS - 1 downto 0);
  type lb_t is array (0 to SLOTS - 1) of beat_t;
  type slot_arr is array (0 to PK - 1) of unsigned(AB - 1 downto 0);
  type rd_arr is array (0 to NB_IN * PK - 1) of beat_t;
  signal tap_slot : slot_arr;
  signal rd    : rd_arr;

  type acc_t is array (0 to LANES - 1) of signed(ACC_BITS - 1 downto 0);
  signal acc : acc_t := (others => (others => '0'));
  type max_t is array (0 to LANES - 1) of signed(XB - 1 downto 0);
  signal runmax : max_t := (others => (others => '0'));

  -- state
  signal wr_rel    : natural range 0 to CAP + HW := 0;  -- pixels written, relative to this frame's first
  signal wr_beat   : natural range 0 to NB_IN - 1 := 0;
  signal wr_slot   : unsigned(AB - 1 downto 0) := (others => '0');
  signal base_slot : unsigned(AB - 1 downto 0) := (others => '0');  -- slot of this frame's first pixel
  signal ho        : natural range 0 to H_OUT := 0;
  signal wo        : natural range 0 to W_OUT := 0;
  signal grp       : natural range 0 to NB_OUT := 0;
  signal oc0       : natural range 0 to C_OUT + PO := 0;  -- grp * LANES
  signal istep     : natural range 0 to QI := 0;
  signal kstep     : natural range 0 to QK := 0;
  signal ci0       : natural range 0 to QI * PI := 0;     -- istep * PI
  signal k0        : natural range 0 to QK * PK := 0;     -- kstep * PK
  signal wword     : natural range 0 to WORDS := 0;
  signal wq        : std_logic_vector(WLANES * W_BITS - 1 downto 0) := WROM(0);

  -- combinational
  signal advance, last, wr_en, fire, rq_ready : std_logic;
  signal frame_end, px_done : std_logic;
  signal n_wword : natural range 0 to WORDS - 1;
  signal final_acc : std_logic_vector(LANES * ACC_BITS - 1 downto 0);
  signal sum_v     : acc_t;
  signal max_v     : max_t;
begin
  -- Engine and writer conditions (registered state only).
  process (all)
    variable need, old : integer;
    variable active, lst, adv : boolean;
  begin
    need := T_NEED_ROW(ho) + T_NEED_COL(wo);
    old := T_OLD_ROW(ho);
    if T_OLD_RS(ho) = 0 then old := old + T_OLD_COL(wo); end if;
    active := wr_rel > need;
    lst := istep = QI - 1 and kstep = QK - 1;
    adv := active and (not lst or rq_ready = '1');
    if adv then advance <= '1'; else advance <= '0'; end if;
    if lst then last <= '1'; else last <= '0'; end if;
    if adv and lst then fire <= '1'; else fire <= '0'; end if;
    if adv and lst and grp = NB_OUT - 1 and wo = W_OUT - 1 and ho = H_OUT - 1 then frame_end <= '1'; else frame_end <= '0'; end if;
    if in_valid = '1' and wr_rel < old + CAP then wr_en <= '1'; else wr_en <= '0'; end if;
    if in_valid = '1' and wr_rel < old + CAP and wr_beat = NB_IN - 1 then px_done <= '1'; else px_done <= '0'; end if;
    if adv then
      if wword = WORDS - 1 then n_wword <= 0; else n_wword <= wword + 1; end if;
    else
      n_wword <= wword;
    end if;
  end process;
  in_pop <= wr_en;

  -- Line buffer slots of this step's taps.
  process (all)
    variable off : signed(31 downto 0);
  begin
    for j in 0 to PK - 1 loop
      off := to_signed(T_ROWB(ho) + T_OX0(wo) + T_OFF(k0 + j), 32);
      tap_slot(j) <= base_slot + unsigned(off(AB - 1 downto 0));
    end loop;
  end process;

  -- Line buffer memories, one per input beat.
  lb_g : for b in 0 to NB_IN - 1 generate
    signal lb : lb_t;
    attribute ram_style : string;
    attribute ram_style of lb : signal is "distributed";  -- GHDL --synth drops it; hw/synth_check sets it again
  begin
    process (clk)
    begin
      if rising_edge(clk) then
        if wr_en = '1' and wr_beat = b then lb(to_integer(wr_slot)) <= in_data; end if;
      end if;
    end process;
    taps_g : for j in 0 to PK - 1 generate
      rd(b * PK + j) <= lb(to_integer(tap_slot(j)));
    end generate;
  end generate;

  -- Datapath of one step: taps read from the line buffer, MACs (conv) or maxima (pool).
  process (all)
    type px_t is array (0 to imax(C_IN, 2) - 1) of signed(XB - 1 downto 0);
    variable px     : px_t;
    variable word   : std_logic_vector(IN_LANES * IN_BITS - 1 downto 0);
    variable iy, ix, ky, ci, c : integer;
    variable inside : boolean;
    variable x      : signed(XB - 1 downto 0);
    variable wv     : signed(W_BITS - 1 downto 0);
    variable part   : acc_t;
    variable m      : max_t;
    variable base   : signed(ACC_BITS - 1 downto 0);
  begin
    part := (others => (others => '0'));
    for o in 0 to LANES - 1 loop m(o) := runmax(o); end loop;
    for j in 0 to PK - 1 loop
      ky := T_KY(k0 + j);
      iy := T_OY0(ho) + ky;
      ix := T_OX0(wo) + T_KX(k0 + j);
      inside := ky >= 0 and iy >= 0 and iy < H_IN and ix >= 0 and ix < W_IN;
      -- the whole pixel at that tap's slot, channel c at px(c)
      px := (others => (others => '0'));
      for b in 0 to NB_IN - 1 loop
        word := rd(b * PK + j);
        for l in 0 to IN_LANES - 1 loop
          if b * IN_LANES + l < C_IN then
            px(b * IN_LANES + l) := lane_value(word((l + 1) * IN_BITS - 1 downto l * IN_BITS), IN_SIGNED);
          end if;
        end loop;
      end loop;
      if inside then
        if IS_POOL then
          for o in 0 to LANES - 1 loop
            c := oc0 + o;
            if c < C_IN then
              x := px(c);
              if (istep = 0 and kstep = 0 and j = 0) or x > m(o) then m(o) := x; end if;
            end if;
          end loop;
        else
          for o in 0 to PO - 1 loop
            for i in 0 to PI - 1 loop
              ci := ci0 + i;
              if ci < CIN_G then
                c := T_CIN(oc0 + o) + ci;
                x := px(c);
                wv := signed(wq(((o * PI + i) * PK + j + 1) * W_BITS - 1 downto ((o * PI + i) * PK + j) * W_BITS));
                part(o) := part(o) + resize(smul(x, wv), ACC_BITS);
              end if;
            end loop;
          end loop;
        end if;
      end if;
    end loop;
    for o in 0 to LANES - 1 loop
      if istep = 0 and kstep = 0 then
        if not IS_POOL and oc0 + o < C_OUT then base := to_signed(BIAS(BIAS'low + oc0 + o), ACC_BITS);
        else base := (others => '0'); end if;
      else
        base := acc(o);
      end if;
      sum_v(o) <= base + part(o);
      final_acc((o + 1) * ACC_BITS - 1 downto o * ACC_BITS) <= std_logic_vector(base + part(o));
    end loop;
    max_v <= m;
  end process;

  conv_g : if not IS_POOL generate
    rq : entity n2d2.n2d2_requant
      generic map (PO => PO, REQ_LANES => REQ_LANES, C_OUT => C_OUT, ACC_BITS => ACC_BITS, OUT_BITS => OUT_BITS,
                   OUT_SIGNED => OUT_SIGNED, RESCALE => RESCALE, MULT_BITS => MULT_BITS, RQW => RQW,
                   RQ_MULT => RQ_MULT, RQ_SHIFT => RQ_SHIFT, RQ_LEFT => RQ_LEFT)
      port map (clk => clk, rst => rst, fire => fire, acc_in => final_acc, oc_base => oc0, ready => rq_ready,
                out_ready => out_ready, out_push => out_push, out_data => out_data);
  end generate;
  pool_g : if IS_POOL generate
    rq_ready <= out_ready;
    out_push <= fire;
    lanes_g : for o in 0 to LANES - 1 generate
      out_data((o + 1) * OUT_BITS - 1 downto o * OUT_BITS) <= std_logic_vector(max_v(o)(OUT_BITS - 1 downto 0));
    end generate;
  end generate;

  process (clk)
  begin
    if rising_edge(clk) then
      wq <= WROM(n_wword);
      if rst = '1' then
        wr_rel <= 0; wr_beat <= 0; wr_slot <= (others => '0'); base_slot <= (others => '0');
        ho <= 0; wo <= 0; grp <= 0; oc0 <= 0; istep <= 0; kstep <= 0; ci0 <= 0; k0 <= 0; wword <= 0;
        wq <= WROM(0);
      else
        wword <= n_wword;
        -- writer
        if wr_en = '1' then
          if wr_beat = NB_IN - 1 then
            wr_beat <= 0;
            wr_slot <= wr_slot + 1;
          elsif NB_IN > 1 then
            wr_beat <= wr_beat + 1;
          end if;
        end if;
        if px_done = '1' and frame_end = '0' then wr_rel <= wr_rel + 1;
        elsif px_done = '0' and frame_end = '1' then wr_rel <= wr_rel - HW;
        elsif px_done = '1' and frame_end = '1' then wr_rel <= wr_rel + 1 - HW;
        end if;
        -- engine
        if advance = '1' then
          acc <= sum_v;
          runmax <= max_v;
          if last = '0' then
            if kstep = QK - 1 then
              kstep <= 0; k0 <= 0; istep <= istep + 1; ci0 <= ci0 + PI;
            else
              kstep <= kstep + 1; k0 <= k0 + PK;
            end if;
          else
            kstep <= 0; k0 <= 0; istep <= 0; ci0 <= 0;
            if grp = NB_OUT - 1 then
              grp <= 0; oc0 <= 0;
              if wo = W_OUT - 1 then
                wo <= 0;
                if ho = H_OUT - 1 then
                  ho <= 0;
                  base_slot <= base_slot + to_unsigned(HW mod SLOTS, AB);
                else
                  ho <= ho + 1;
                end if;
              else
                wo <= wo + 1;
              end if;
            else
              grp <= grp + 1; oc0 <= oc0 + LANES;
            end if;
          end if;
        end if;
      end if;
    end if;
  end process;
end architecture;
