-- n2d2-flow VHDL block library: shared types and the integer arithmetic of the blocks
-- (graph/ops/quant_semantics.h: exact accumulation, rounding shifts, requantization, saturation).
-- VHDL-2008. Generated designs and the block testbenches use this package.
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;

package n2d2_pkg is
  -- Rescaling modes (hw::Rescale).
  constant RS_NONE   : natural := 0;
  constant RS_SINGLE : natural := 1;
  constant RS_DOUBLE : natural := 2;
  constant RS_FIXED  : natural := 3;

  function clog2(n : positive) return natural;
  function cdiv(a, b : natural) return natural;
  function imax(a, b : integer) return integer;
  function imin(a, b : integer) return integer;
  function iclamp(v, lo, hi : integer) return integer;
  -- A lane value as a signed number one bit wider than its container (unsigned values get a 0 sign bit).
  function lane_value(v : std_logic_vector; is_signed : boolean) return signed;
  -- Signed product a * b (a'length + b'length bits). GHDL's netlist multiplies the operands
  -- sign-extended to the result width as unsigned numbers, which yosys cannot narrow; wide
  -- products are therefore built from the unsigned product of the bit patterns (which maps to one
  -- DSP up to 24 x 17 bits) minus the two sign corrections (mod 2^(a'length + b'length)).
  function smul(a, b : signed) return signed;
  -- Element k of a table, or element 0 of a one-element (per-tensor) table.
  function tab(t : integer_vector; k : natural) return integer;
  -- Requantize an accumulator: sat32, then the rescaling (rounding shift: add 2^(s-1), arithmetic
  -- shift right), then saturation to out_bits (signed: symmetric range). rqw: intermediate width.
  function requant(acc : signed; mode : natural; mult, shift, left : integer; mult_bits, rqw, out_bits : natural;
                   out_signed : boolean) return std_logic_vector;
end package;

package body n2d2_pkg is
  function clog2(n : positive) return natural is
    variable r : natural := 0;
    variable v : natural := 1;
  begin
    while v < n loop
      v := v * 2;
      r := r + 1;
    end loop;
    return r;
  end function;

  function cdiv(a, b : natural) return natural is
  begin
    return (a + b - 1) / b;
  end function;

  function imax(a, b : integer) return integer is
  begin
    if a > b then return a; end if;
    return b;
  end function;

  function imin(a, b : integer) return integer is
  begin
    if a < b then return a; end if;
    return b;
  end function;

  function iclamp(v, lo, hi : integer) return integer is
  begin
    return imin(imax(v, lo), hi);
  end function;

  function lane_value(v : std_logic_vector; is_signed : boolean) return signed is
  begin
    if is_signed then
      return resize(signed(v), v'length + 1);
    end if;
    return signed('0' & v);
  end function;

  function smul(a, b : signed) return signed is
    constant N : natural := a'length + b'length;
    variable au : unsigned(a'length - 1 downto 0) := unsigned(a);
    variable bu : unsigned(b'length - 1 downto 0) := unsigned(b);
    variable p  : unsigned(N - 1 downto 0);
  begin
    if N <= 18 then return a * b; end if;
    p := au * bu;
    if a(a'left) = '1' then p := p - shift_left(resize(bu, N), a'length); end if;
    if b(b'left) = '1' then p := p - shift_left(resize(au, N), b'length); end if;
    return signed(p);
  end function;

  function tab(t : integer_vector; k : natural) return integer is
  begin
    if t'length = 1 then return t(t'low); end if;
    return t(t'low + k);
  end function;

  function requant(acc : signed; mode : natural; mult, shift, left : integer; mult_bits, rqw, out_bits : natural;
                   out_signed : boolean) return std_logic_vector is
    variable a    : signed(acc'length - 1 downto 0) := acc;
    variable v    : signed(rqw - 1 downto 0);
    variable one  : signed(rqw - 1 downto 0);
    variable hi, lo : signed(rqw - 1 downto 0);
  begin
    -- saturate_i32 (only reachable when the accumulator is wider than 32 bits)
    if a'length > 32 then
      if a > to_signed(2147483647, a'length) then a := to_signed(2147483647, a'length);
      elsif a < -to_signed(2147483647, a'length) - 1 then a := -to_signed(2147483647, a'length) - 1;
      end if;
    end if;
    case mode is
      when RS_FIXED  => v := resize(smul(a, to_signed(mult, mult_bits)), rqw);
      when RS_DOUBLE => v := shift_left(resize(a, rqw), left) + resize(a, rqw);
      when others    => v := resize(a, rqw);
    end case;
    if mode /= RS_NONE and shift > 0 then
      one := shift_left(to_signed(1, rqw), shift - 1);
      v := shift_right(v + one, shift);
    end if;
    if mode /= RS_NONE then
      if out_signed then
        hi := to_signed(2 ** (out_bits - 1) - 1, rqw);
        lo := -hi;
      else
        hi := resize(signed('0' & std_logic_vector(to_unsigned(2 ** out_bits - 1, out_bits))), rqw);
        lo := (others => '0');
      end if;
      if v > hi then v := hi; elsif v < lo then v := lo; end if;
    end if;
    return std_logic_vector(v(out_bits - 1 downto 0));
  end function;
end package body;
