-- Sets the scene of docs/editors/nvim.png: beijing.icp with a typo, its
-- diagnostic, and a hover over a definition. screenshot.sh takes the picture.
vim.g.icprules_cmd = { assert(os.getenv('ICPRULES')), 'lsp' }
vim.g.icprules_options = { allow = { 'missing-translation' } }
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.laststatus = 2
vim.o.wrap = false
vim.cmd('highlight NormalFloat guibg=#2a2d31 guifg=#e0e0e0')
vim.cmd('highlight FloatBorder guibg=#2a2d31 guifg=#7f8c98')
vim.lsp.handlers['textDocument/hover'] = vim.lsp.with(vim.lsp.handlers.hover, { border = 'rounded' })
vim.cmd('edit rules/provinces/beijing.icp')
local buf = vim.api.nvim_get_current_buf()
vim.wait(20000, function() return next(vim.lsp.buf_get_clients(buf)) ~= nil end, 50)
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row
for i, line in ipairs(lines) do
  if line:find('require subject_admin.is_legal_representative', 1, true) then
    row = i - 1
  end
end
local typo = lines[row + 1]:gsub('is_legal_representative', 'is_legal_represntative')
vim.api.nvim_buf_set_lines(buf, row, row + 1, false, { typo })
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
-- The rule with the typo in view, and below it the hover of a definition
-- that the next rule uses.
vim.api.nvim_win_set_cursor(0, { row + 1, 0 })
vim.cmd('normal! zt8\x19')
for i = row + 1, #lines do
  local col = lines[i + 1]:find('individual_filing', 1, true)
  if col then
    vim.api.nvim_win_set_cursor(0, { i + 1, col + 2 })
    break
  end
end
vim.lsp.buf.hover()
vim.wait(3000, function() return false end, 50)
local f = io.open(os.getenv('READY'), 'w')
f:write('ready')
f:close()
