-- Residual add block (hw/systemc Add): one beat from each input -> one beat of
-- requantize(A_MULT * a + B_MULT * b) per lane, in the cycle both inputs hold a beat and the output
-- FIFO has room (the SystemC module's condition: a.can_pop and b.can_pop and out.ready). Both
-- inputs carry the same segmentation: NB beats per pixel, beat j holding channels
-- [SEG_OFFSET(j), ...). The constant multipliers are built from shifts and adds of their
-- non-adjacent-form digits (no multiplier, no DSP); LANES rescalers (n2d2_requant, not shared).
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;
library n2d2;
use n2d2.n2d2_pkg.all;

entity n2d2_add is
  generic (
    C, LANES, NB               : positive;        -- channels, lanes per beat, beats per pixel
    SEG_OFFSET                 : integer_vector;  -- first channel of each beat (NB entries)
    IN_BITS, OUT_BITS, ACC_BITS : positive;
    IN_SIGNED, OUT_SIGNED      : boolean;
    A_MULT, B_MULT             : integer;
    RESCALE                    : natural;
    MULT_BITS, RQW             : positive;
    RQ_MULT, RQ_SHIFT, RQ_LEFT : integer_vector);
  port (
    clk, rst  : in  std_logic;
    a_valid   : in  std_logic;
    a_data    : in  std_logic_vector(LANES * IN_BITS - 1 downto 0);
    a_pop     : out std_logic;
    b_valid   : in  std_logic;
    b_data    : in  std_logic_vector(LANES * IN_BITS - 1 downto 0);
    b_pop     : out std_logic;
    out_ready : in  std_logic;
    out_push  : out std_logic;
    out_data  : out std_logic_vector(LANES * OUT_BITS - 1 downto 0));
end entity;

architecture rtl of n2d2_add is
  constant ND : positive := 34;  -- digits of a 32-bit multiplier's non-adjacent form
  type digits_t is array (0 to ND - 1) of integer range -1 to 1;
  -- Non-adjacent form: m = sum d(k) * 2^k, d(k) in {-1, 0, 1}, no two adjacent non-zero digits.
  function naf(m : integer) return digits_t is
    variable d : digits_t := (others => 0);
    variable n : integer := m;
  begin
    for k in 0 to ND - 1 loop
      exit when n = 0;
      if n mod 2 /= 0 then
        d(k) := 2 - (n mod 4);  -- mod 4 in 0 .. 3 for negative n too
        n := n - d(k);
      end if;
      n := n / 2;  -- exact: n is even
    end loop;
    return d;
  end function;
  constant DA : digits_t := naf(A_MULT);
  constant DB : digits_t := naf(B_MULT);

  -- x * m for the constant m of digits d, modulo 2^ACC_BITS (the sum fits: ACC_BITS is wide enough).
  function cmul(x : signed; d : digits_t) return signed is
    variable r : signed(ACC_BITS - 1 downto 0) := (others => '0');
    variable t : signed(ACC_BITS - 1 downto 0);
  begin
    t := resize(x, ACC_BITS);
    for k in 0 to ND - 1 loop
      exit when k >= ACC_BITS;
      if d(k) = 1 then r := r + shift_left(t, k); elsif d(k) = -1 then r := r - shift_left(t, k); end if;
    end loop;
    return r;
  end function;

  signal beat    : natural range 0 to NB := 0;  -- (not 0 to NB - 1: one beat would be a 0-bit counter in ghdl --synth)
  signal oc_base : natural range 0 to C + LANES := 0;
  signal fire    : std_logic;
  signal sums    : std_logic_vector(LANES * ACC_BITS - 1 downto 0);
begin
  fire  <= a_valid and b_valid and out_ready;
  a_pop <= fire;
  b_pop <= fire;
  process (all)  -- SEG_OFFSET(beat) as a multiplexer (ghdl --synth emits a 0-bit index into a one-entry table)
    variable v : natural range 0 to C + LANES;
  begin
    v := SEG_OFFSET(SEG_OFFSET'low);
    for j in 1 to NB - 1 loop
      if beat = j then v := SEG_OFFSET(SEG_OFFSET'low + j); end if;
    end loop;
    oc_base <= v;
  end process;

  lanes_g : for o in 0 to LANES - 1 generate
    sums((o + 1) * ACC_BITS - 1 downto o * ACC_BITS) <= std_logic_vector(
      cmul(lane_value(a_data((o + 1) * IN_BITS - 1 downto o * IN_BITS), IN_SIGNED), DA) +
      cmul(lane_value(b_data((o + 1) * IN_BITS - 1 downto o * IN_BITS), IN_SIGNED), DB));
  end generate;

  rq : entity n2d2.n2d2_requant
    generic map (PO => LANES, REQ_LANES => LANES, C_OUT => C, ACC_BITS => ACC_BITS, OUT_BITS => OUT_BITS,
                 OUT_SIGNED => OUT_SIGNED, RESCALE => RESCALE, MULT_BITS => MULT_BITS, RQW => RQW,
                 RQ_MULT => RQ_MULT, RQ_SHIFT => RQ_SHIFT, RQ_LEFT => RQ_LEFT)
    port map (clk => clk, rst => rst, fire => fire, acc_in => sums, oc_base => oc_base, ready => open,
              out_ready => out_ready, out_push => out_push, out_data => out_data);

  process (clk)
  begin
    if rising_edge(clk) then
      if rst = '1' then
        beat <= 0;
      elsif fire = '1' then
        if beat = NB - 1 then beat <= 0; else beat <= beat + 1; end if;
      end if;
    end if;
  end process;
end architecture;
