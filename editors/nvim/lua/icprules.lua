-- Starts `icprules lsp` for `.icp` buffers with Neovim's built-in client
-- (0.7 and later). One server serves every rule set: it finds the rule set
-- of each file itself, as `icprules lint FILE` does.
--
--   vim.g.icprules_cmd = { '/path/to/icprules', 'lsp' }   -- default: icprules on PATH
--   vim.g.icprules_options = { cases = 'tests/cases' }    -- initialization options
local M = {}

local client_id = nil

local function config()
  return {
    name = 'icprules',
    cmd = vim.g.icprules_cmd or { 'icprules', 'lsp' },
    root_dir = vim.fn.getcwd(),
    init_options = vim.g.icprules_options or vim.empty_dict(),
  }
end

-- Attaches the buffer to the server, starting it the first time.
function M.attach(buf)
  if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
    client_id = vim.lsp.start_client(config())
  end
  if client_id ~= nil then
    vim.lsp.buf_attach_client(buf, client_id)
  end
  return client_id
end

return M
