-- Bounded ready/valid FIFO (hw/systemc StreamFifo): can_pop (valid) and can_push (ready) are
-- registered, i.e. they reflect the contents at the start of the cycle; a beat pushed in cycle t
-- is visible to the consumer in cycle t+1, a slot freed in cycle t is usable in t+1.
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;

entity n2d2_fifo is
  generic (DEPTH : positive; WIDTH : positive);
  port (
    clk, rst : in  std_logic;
    push     : in  std_logic;
    din      : in  std_logic_vector(WIDTH - 1 downto 0);
    can_push : out std_logic;
    can_pop  : out std_logic;
    dout     : out std_logic_vector(WIDTH - 1 downto 0);
    pop      : in  std_logic);
end entity;

architecture rtl of n2d2_fifo is
  type mem_t is array (0 to DEPTH - 1) of std_logic_vector(WIDTH - 1 downto 0);
  signal mem   : mem_t;
  signal head  : natural range 0 to DEPTH := 0;
  signal tail  : natural range 0 to DEPTH := 0;
  signal count : natural range 0 to DEPTH := 0;
begin
  can_push <= '1' when count < DEPTH else '0';
  can_pop  <= '1' when count > 0 else '0';
  dout     <= mem(head);

  process (clk)
    variable c : natural range 0 to DEPTH;
  begin
    if rising_edge(clk) then
      if rst = '1' then
        head <= 0; tail <= 0; count <= 0;
      else
        c := count;
        if pop = '1' and count > 0 then
          c := c - 1;
          if head = DEPTH - 1 then head <= 0; else head <= head + 1; end if;
        end if;
        if push = '1' and count < DEPTH then
          mem(tail) <= din;
          c := c + 1;
          if tail = DEPTH - 1 then tail <= 0; else tail <= tail + 1; end if;
        end if;
        count <= c;
      end if;
    end if;
  end process;
end architecture;
