-- End-to-end: Neovim's built-in LSP client talks to `icprules lsp` about a
-- shipped rule file. Run by editors/nvim/test/run.sh (CI: .ci/run); exits
-- non-zero on the first failed check.
local bin = assert(os.getenv('ICPRULES'), 'ICPRULES names the icprules binary')
vim.g.icprules_cmd = { bin, 'lsp' }
-- The provinces are being translated: like CI's `lint`, leave that out.
vim.g.icprules_options = { allow = { 'missing-translation' } }

local function say(text)
  io.stdout:write(text .. '\n')
end

local function fail(text)
  io.stderr:write('FAIL ' .. text .. '\n')
  vim.cmd('cquit 1')
end

local function check(ok, text)
  if not ok then
    fail(text)
  end
end

local function wait(what, condition)
  check(vim.wait(20000, condition, 20), 'timed out waiting for ' .. what)
end

-- Counts the diagnostics the server publishes, by file.
local published = {}
local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  published[result.uri] = (published[result.uri] or 0) + 1
  return default_handler(err, result, ctx, config)
end

local function line_of(buf, pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(pattern, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
  fail('no `' .. pattern .. '` in the buffer')
end

local function run()
  vim.cmd('edit rules/provinces/beijing.icp')
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)
  check(vim.bo[buf].filetype == 'icp', 'the filetype is icp, not ' .. vim.bo[buf].filetype)
  wait('the client', function()
    local clients = vim.lsp.buf_get_clients(buf)
    return next(clients) ~= nil and clients[next(clients)].initialized
  end)
  wait('the first diagnostics', function() return (published[uri] or 0) >= 1 end)
  check(#vim.diagnostic.get(buf) == 0, 'the shipped file has no diagnostics')
  say('ok: beijing.icp opened, no diagnostics')

  -- A typo, as a policy editor makes one.
  local row, col = line_of(buf, 'require subject_admin.is_legal_representative')
  local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
  local typo = line:gsub('is_legal_representative', 'is_legal_represntative')
  vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { typo })
  wait('the diagnostic of the typo', function() return #vim.diagnostic.get(buf) > 0 end)
  local diagnostics = vim.diagnostic.get(buf)
  check(#diagnostics == 1, 'one diagnostic, not ' .. #diagnostics)
  local d = diagnostics[1]
  check(d.code == 'unknown-field', 'the code is unknown-field, not ' .. tostring(d.code))
  check(d.lnum == row, 'the diagnostic is on line ' .. row + 1 .. ', not ' .. d.lnum + 1)
  check(d.col == col + #'require subject_admin.', 'the diagnostic starts at the field, not column ' .. d.col)
  check(d.message:find('did you mean `is_legal_representative`?', 1, true) ~= nil, 'the help: ' .. d.message)
  say('ok: diagnostic ' .. d.code .. ' at ' .. d.lnum + 1 .. ':' .. d.col + 1 .. ': ' .. d.message:gsub('\n', ' / '))
  vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { line })
  wait('the diagnostic to go', function() return #vim.diagnostic.get(buf) == 0 end)
  say('ok: fixed, the diagnostic is gone')

  -- Hover over a definition of common.icp.
  local hrow, hcol = line_of(buf, 'enterprise_filing')
  local params = {
    textDocument = { uri = uri },
    position = { line = hrow, character = hcol + 3 },
  }
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 20000)
  local hover
  for _, answer in pairs(answers or {}) do
    hover = answer.result and answer.result.contents.value
  end
  check(hover ~= nil, 'a hover')
  check(hover:find('def enterprise_filing: bool', 1, true) ~= nil, 'the hover shows the signature: ' .. hover)
  say('ok: hover: ' .. hover:gsub('\n', ' / '))

  -- Go to definition: the client jumps to common.icp.
  vim.api.nvim_win_set_cursor(0, { hrow + 1, hcol + 3 })
  vim.lsp.buf.definition()
  wait('the jump to common.icp', function()
    return vim.api.nvim_buf_get_name(0):find('rules/common.icp$') ~= nil
  end)
  local cursor = vim.api.nvim_win_get_cursor(0)
  local target = vim.api.nvim_buf_get_lines(0, cursor[1] - 1, cursor[1], false)[1]
  check(target:find('^def enterprise_filing') ~= nil, 'the cursor is on the definition: ' .. target)
  say('ok: definition: common.icp:' .. cursor[1] .. ': ' .. target)

  -- The test lens of the rule set.
  vim.cmd('buffer ' .. buf)
  vim.lsp.codelens.refresh()
  wait('the test lens', function() return #vim.lsp.codelens.get(buf) > 0 end)
  local lens = vim.lsp.codelens.get(buf)[1]
  check(lens.command.title:find('tests of beijing:', 1, true) ~= nil, 'the lens: ' .. lens.command.title)
  say('ok: lens: ' .. lens.command.title)
end

local ok, err = pcall(run)
if not ok then
  fail(tostring(err))
end
vim.cmd('qall!')
