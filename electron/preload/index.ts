// The preload: runs sandboxed with contextIsolation, bundled to CommonJS (sandboxed preloads cannot be
// ESM). It exposes exactly one thing, `window.hearth` (HearthApi), and nothing of ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './api';

contextBridge.exposeInMainWorld('hearth', createPreloadApi(ipcRenderer));
