-- Requantization stage of a MAC block (conv, dense): PO accumulators in, one output beat of PO
-- values out. REQ_LANES >= PO: PO rescalers, the beat is pushed in the cycle of the block's last
-- MAC step (ready = the output FIFO's can_push). REQ_LANES < PO: REQ_LANES rescalers shared over
-- ceil(PO/REQ_LANES) cycles while the MAC array computes the next output group; the beat is pushed
-- when all lanes are done (ready = the holding register is free or is being emptied).
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;
library n2d2;
use n2d2.n2d2_pkg.all;

entity n2d2_requant is
  generic (
    PO, REQ_LANES, C_OUT       : positive;
    ACC_BITS, OUT_BITS         : positive;
    OUT_SIGNED                 : boolean;
    RESCALE                    : natural;
    MULT_BITS, RQW             : positive;
    RQ_MULT, RQ_SHIFT, RQ_LEFT : integer_vector);
  port (
    clk, rst  : in  std_logic;
    fire      : in  std_logic;                                    -- accumulators final this cycle
    acc_in    : in  std_logic_vector(PO * ACC_BITS - 1 downto 0);
    oc_base   : in  natural range 0 to C_OUT + PO;                -- output channel of lane 0
    ready     : out std_logic;                                    -- fire is accepted this cycle
    out_ready : in  std_logic;
    out_push  : out std_logic;
    out_data  : out std_logic_vector(PO * OUT_BITS - 1 downto 0));
end entity;

architecture rtl of n2d2_requant is
  function rq(acc : std_logic_vector; oc : natural) return std_logic_vector is
    variable c : natural := oc;
  begin
    if c >= C_OUT then c := 0; end if;  -- padding lane of a partial beat: any value
    return requant(signed(acc), RESCALE, tab(RQ_MULT, c), tab(RQ_SHIFT, c), tab(RQ_LEFT, c), MULT_BITS, RQW, OUT_BITS,
                   OUT_SIGNED);
  end function;
begin
  comb_g : if REQ_LANES >= PO generate
    ready    <= out_ready;
    out_push <= fire;
    lanes_g : for o in 0 to PO - 1 generate
      out_data((o + 1) * OUT_BITS - 1 downto o * OUT_BITS) <= rq(acc_in((o + 1) * ACC_BITS - 1 downto o * ACC_BITS), oc_base + o);
    end generate;
  end generate;

  seq_g : if REQ_LANES < PO generate
    -- hold: the accumulators being rescaled (pass cnt handles lanes cnt*REQ_LANES ...); lanes_done: the
    -- lanes done; res: the finished beat waiting for the output FIFO. A new group is accepted in the
    -- cycle of the last pass, so one group per max(NSEQ, MAC steps) cycles.
    constant NSEQ : positive := cdiv(PO, REQ_LANES);
    constant NL   : positive := NSEQ * REQ_LANES;
    signal hold   : std_logic_vector(NL * ACC_BITS - 1 downto 0) := (others => '0');
    signal lanes_done   : std_logic_vector(NL * OUT_BITS - 1 downto 0) := (others => '0');
    signal res    : std_logic_vector(NL * OUT_BITS - 1 downto 0) := (others => '0');
    signal hold_oc : natural range 0 to C_OUT + PO := 0;
    signal cnt    : natural range 0 to NSEQ := 0;
    signal lb     : natural range 0 to NL := 0;  -- cnt * REQ_LANES
    signal pend, ovalid : std_logic := '0';
    signal rdy, push, finish : std_logic;
  begin
    push     <= ovalid and out_ready;
    finish   <= '1' when pend = '1' and cnt = NSEQ - 1 and (ovalid = '0' or push = '1') else '0';
    rdy      <= '1' when pend = '0' or finish = '1' else '0';
    ready    <= rdy;
    out_push <= push;
    out_data <= res(PO * OUT_BITS - 1 downto 0);
    process (clk)
      variable a : std_logic_vector(ACC_BITS - 1 downto 0);
      variable r : std_logic_vector(OUT_BITS - 1 downto 0);
      variable w : std_logic_vector(NL * OUT_BITS - 1 downto 0);
    begin
      if rising_edge(clk) then
        if rst = '1' then
          pend <= '0'; ovalid <= '0'; cnt <= 0; lb <= 0;
        else
          if push = '1' then ovalid <= '0'; end if;
          if pend = '1' and (cnt < NSEQ - 1 or finish = '1') then
            w := lanes_done;
            for l in 0 to REQ_LANES - 1 loop
              a := (others => '0');
              for k in 0 to NSEQ - 1 loop  -- one rescaler per l, fed lane cnt*REQ_LANES + l
                if cnt = k then
                  a := hold((k * REQ_LANES + l + 1) * ACC_BITS - 1 downto (k * REQ_LANES + l) * ACC_BITS);
                end if;
              end loop;
              r := rq(a, hold_oc + lb + l);
              for k in 0 to NSEQ - 1 loop
                if cnt = k then
                  w((k * REQ_LANES + l + 1) * OUT_BITS - 1 downto (k * REQ_LANES + l) * OUT_BITS) := r;
                end if;
              end loop;
            end loop;
            lanes_done <= w;
            if finish = '1' then
              res <= w; ovalid <= '1'; pend <= '0'; cnt <= 0; lb <= 0;
            else
              cnt <= cnt + 1; lb <= lb + REQ_LANES;
            end if;
          end if;
          if fire = '1' and rdy = '1' then
            hold(PO * ACC_BITS - 1 downto 0) <= acc_in;
            hold_oc <= oc_base;
            cnt <= 0; lb <= 0; pend <= '1';
          end if;
        end if;
      end if;
    end process;
  end generate;
end architecture;
