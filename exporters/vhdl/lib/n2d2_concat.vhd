-- Channel concat block (hw/systemc Concat): a pixel's beats from input 0, then from input 1, ...
-- NB beats per output pixel, beat j taken from input ORDER(j). One beat per cycle: the beat moves
-- when the input it comes from holds one and the output FIFO has room (the SystemC module's
-- condition). The output beat is that input beat as it is (lanes beyond an input's width are 0;
-- a partial beat's unused lanes are whatever the producer left there).
-- in_data: input k at bits [k * LANES * BITS, (k + 1) * LANES * BITS), zero-extended by the caller.
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;
library n2d2;
use n2d2.n2d2_pkg.all;

entity n2d2_concat is
  generic (
    N_IN, LANES, BITS, NB : positive;        -- inputs, output lanes, lane width, beats per pixel
    ORDER                 : integer_vector);  -- input of each beat of a pixel (NB entries)
  port (
    clk, rst  : in  std_logic;
    in_valid  : in  std_logic_vector(N_IN - 1 downto 0);
    in_data   : in  std_logic_vector(N_IN * LANES * BITS - 1 downto 0);
    in_pop    : out std_logic_vector(N_IN - 1 downto 0);
    out_ready : in  std_logic;
    out_push  : out std_logic;
    out_data  : out std_logic_vector(LANES * BITS - 1 downto 0));
end entity;

architecture rtl of n2d2_concat is
  constant W  : positive := LANES * BITS;
  signal beat : natural range 0 to NB := 0;  -- (not 0 to NB - 1: a 0-bit counter in ghdl --synth for one beat)
  signal sel  : natural range 0 to N_IN - 1;
  signal fire : std_logic;
begin
  process (all)  -- ORDER(beat) as a multiplexer (ghdl --synth emits a 0-bit index into a one-entry table)
    variable v : natural range 0 to N_IN - 1;
  begin
    v := ORDER(ORDER'low);
    for j in 1 to NB - 1 loop
      if beat = j then v := ORDER(ORDER'low + j); end if;
    end loop;
    sel <= v;
  end process;
  fire <= in_valid(sel) and out_ready;
  out_push <= fire;
  process (all)
  begin
    for k in 0 to N_IN - 1 loop
      if fire = '1' and sel = k then in_pop(k) <= '1'; else in_pop(k) <= '0'; end if;
    end loop;
  end process;
  process (all)
    variable d : std_logic_vector(W - 1 downto 0);
  begin
    d := in_data(W - 1 downto 0);
    for k in 1 to N_IN - 1 loop
      if sel = k then d := in_data((k + 1) * W - 1 downto k * W); end if;
    end loop;
    out_data <= d;
  end process;

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
